// RankerModel: a learned scoring function over candidate feature rows, the
// last stage of Recommend (recommender/ranking/ranked_recommend.h). The
// ranking code sees only this interface; xgboost_ranker_model.h adapts
// XGBoost's C API to it.
//
// Implementations are immutable after construction and thread-safe for
// concurrent Score calls.
#ifndef RECOMMENDER_LTR_RANKER_MODEL_H_
#define RECOMMENDER_LTR_RANKER_MODEL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace recommender {

class RankerModel {
 public:
  virtual ~RankerModel() = default;

  // Features per candidate row.
  virtual int32_t num_features() const = 0;

  // One score per row of `features` (rows * num_features() floats,
  // row-major; NaN marks a missing value); higher ranks first. Scores are
  // comparable within one call only. Uses only the calling thread.
  // InvalidArgument if the size is not a multiple of num_features().
  virtual absl::StatusOr<std::vector<float>> Score(
      absl::Span<const float> features) const = 0;
};

}  // namespace recommender

#endif  // RECOMMENDER_LTR_RANKER_MODEL_H_
