// SegmentPopularity: what customers like a given one bought lately, for
// customers without a history of their own (the "Smart Recommend" of
// Japanese shop systems such as EC-CUBE: "popular with women in their
// thirties"). A segment is a combination of age band, gender and region —
// or a coarser one that leaves some out — and lists its most bought items.
//
// Immutable after Build; thread-safe for concurrent reads.
#ifndef RECOMMENDER_MODEL_SEGMENT_POPULARITY_H_
#define RECOMMENDER_MODEL_SEGMENT_POPULARITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "proto/snapshot.pb.h"

namespace recommender {

// A customer's profile; empty fields are unknown.
struct CustomerAttributes {
  std::string age_band;
  std::string gender;
  std::string region;

  bool empty() const {
    return age_band.empty() && gender.empty() && region.empty();
  }
};

class SegmentPopularity {
 public:
  // Items kept per segment, most bought first.
  static constexpr int kMaxItemsPerSegment = 200;

  struct Segment {
    // The attributes that define it; an empty field matches anyone.
    CustomerAttributes key;
    // Distinct customers of the segment who bought in the window.
    int32_t buyers = 0;
    // Item rows, most bought first (ties by row), and their purchases.
    std::vector<int32_t> items;
    std::vector<int32_t> purchases;
  };

  SegmentPopularity() = default;

  // Counts the purchases made at or after `since` (Unix seconds) by each
  // segment's customers. Segments with fewer than `min_buyers` buyers are
  // left out as too small to say anything.
  static SegmentPopularity Build(const snapshot::CustomerTable& customers,
                                 int64_t since, int32_t min_buyers);

  // The most specific segment that shares attributes with `attributes`:
  // all of the given ones, else age band and gender, age band and region,
  // gender and region, then each alone. nullptr if none is known.
  const Segment* Find(const CustomerAttributes& attributes) const;

  size_t num_segments() const { return segments_.size(); }

 private:
  absl::flat_hash_map<std::string, Segment> segments_;
};

// "30-39, f, Tokyo": the segment's defining attributes, for reasons.
std::string DescribeSegment(const CustomerAttributes& key);

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_SEGMENT_POPULARITY_H_
