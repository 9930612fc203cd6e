// Parsers for single CSV field values. Each returns InvalidArgument with a
// message saying what was expected and quoting the text; callers prefix the
// file, line and column.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_DATA_FIELD_PARSERS_H_
#define RECOMMENDER_DATA_FIELD_PARSERS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender {

// A finite decimal >= 0, e.g. "1980" or "12.50".
absl::StatusOr<double> ParseNonNegativeDecimal(absl::string_view text);

// An integer >= 1.
absl::StatusOr<int32_t> ParsePositiveInteger(absl::string_view text);

// true/false, 1/0, yes/no (any case).
absl::StatusOr<bool> ParseBoolean(absl::string_view text);

inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxCategoryBytes = 1000;

// Text a person may have typed (a name, a region): at most `max_bytes`,
// valid UTF-8, no control characters (NUL, newline, escape, DEL...).
// InvalidArgument starting with `what` and quoting the text
// (recommender/util/quote.h: bounded and escaped).
absl::Status ValidateText(absl::string_view what, absl::string_view text,
                          size_t max_bytes);

// An id: 1 to kMaxIdBytes bytes of valid UTF-8, no leading or trailing
// space, no control characters. Messages quote the id bounded and escaped.
absl::Status ValidateId(absl::string_view text);

// A category path: segments separated by '/', none empty,
// e.g. "kitchen/appliances"; text as ValidateText, at most
// kMaxCategoryBytes.
absl::Status ValidateCategoryPath(absl::string_view text);

}  // namespace recommender

#endif  // RECOMMENDER_DATA_FIELD_PARSERS_H_
