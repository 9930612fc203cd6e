// Quantile scores: the RFM quintiles and the lifetime-value deciles.
//
// A value's score is 1 + floor(groups * mid-rank share), where the mid-rank
// share is (values below + values equal / 2) / known values. With distinct
// values this cuts the customers into `groups` equal parts; equal values
// always share a score (they never straddle a boundary, and no tie is
// broken by row order), so a score can stay empty when many customers tie
// (e.g. the many one-order customers of the frequency score).
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_SEGMENTS_QUANTILE_SCORES_H_
#define RECOMMENDER_SEGMENTS_QUANTILE_SCORES_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace recommender::segments {

// Scores 1 (lowest values) to `groups` (highest) for every value; NaN
// values are unknown and score 0. `groups` must be 1 to 255. O(n log n).
std::vector<uint8_t> QuantileScores(absl::Span<const double> values,
                                    int groups);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_QUANTILE_SCORES_H_
