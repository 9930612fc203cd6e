// SegmentLibrary: segments saved by name, so that a campaign or a CLI flag
// can say `--segment=tokyo_regulars` instead of repeating the expression.
// The RFM segment names (rfm_scores.h) are built in and always resolve.
//
// A saved-segment file holds one definition per line:
//
//   # comments and blank lines are ignored
//   tokyo_regulars: region = tokyo and f >= 4
//   winback: at_risk and ltv_decile >= 8
//
// A definition may use segments defined above it. Names are 1 to 64
// characters of a-z, 0-9 and '_', starting with a letter, and may not be a
// built-in name ("all", an RFM segment, a field or function of the
// grammar).
//
// Thread-safe: const methods may be called concurrently; Add is not
// synchronized.
#ifndef RECOMMENDER_SEGMENTS_SEGMENT_LIBRARY_H_
#define RECOMMENDER_SEGMENTS_SEGMENT_LIBRARY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/segments/segment_expression.h"

namespace recommender::segments {

class SegmentLibrary {
 public:
  SegmentLibrary() = default;

  // Parses a saved-segment file's contents. InvalidArgument starting with
  // "FILE:LINE: " for a malformed line, a bad or repeated name, or a bad
  // expression (which then names the segment and the position).
  static absl::StatusOr<SegmentLibrary> Parse(absl::string_view contents,
                                              absl::string_view file_name);

  // Reads and parses a file; NotFound if it does not exist.
  static absl::StatusOr<SegmentLibrary> Load(const std::string& path);

  // Saves `name` as `expression_text`. InvalidArgument naming "name" or
  // the expression's error as for ParseSegmentExpression.
  absl::Status Add(absl::string_view name, absl::string_view expression_text);

  // Parses `text` with this library's names; `field` as for
  // ParseSegmentExpression (an unknown name is an error naming it).
  absl::StatusOr<SegmentExpression> Resolve(absl::string_view text,
                                            absl::string_view field) const;

  struct Saved {
    std::string name;
    // As written, and in canonical form.
    std::string text;
    SegmentExpression expression;
  };
  // In the order added.
  const std::vector<Saved>& saved() const { return saved_; }
  const Saved* Find(absl::string_view name) const;

 private:
  std::vector<Saved> saved_;
  std::map<std::string, size_t, std::less<>> by_name_;
};

// OK for a name a segment may be saved under; InvalidArgument saying why
// not, starting with "name: ".
absl::Status ValidateSegmentName(absl::string_view name);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_SEGMENT_LIBRARY_H_
