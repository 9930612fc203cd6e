// For tests: a real XGBoost ranker over the ranking features that orders
// candidates by one chosen feature (highest first), trained in a moment
// through XGBoost's C API.
#ifndef RECOMMENDER_LTR_TESTING_RANKER_H_
#define RECOMMENDER_LTR_TESTING_RANKER_H_

#include <string>
#include <utility>
#include <vector>

#include "recommender/ltr/ranking_features.h"

namespace recommender {

// The saved model (UBJSON) of a ranker over kNumRankingFeatures features
// that has learned "higher `feature` is better" (values 0..9 seen in
// training; missing values rank lowest). CHECK-fails if XGBoost does.
std::string TrainTestRanker(RankingFeature feature);

// The saved model (UBJSON) of an XGBoost ranker trained for `rounds` rounds
// with `params` (one thread, quiet) on `features` (rows of
// kNumRankingFeatures values, NaN for missing), `labels` (one per row) and
// `groups` (rows per query, in order). CHECK-fails if XGBoost does.
std::string TrainTestBooster(
    const std::vector<float>& features, const std::vector<float>& labels,
    const std::vector<unsigned>& groups,
    const std::vector<std::pair<std::string, std::string>>& params, int rounds);

}  // namespace recommender

#endif  // RECOMMENDER_LTR_TESTING_RANKER_H_
