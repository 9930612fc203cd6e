// The RankerModel of a gradient-boosted tree ensemble trained by XGBoost
// (Chen & Guestrin 2016) with a learning-to-rank objective, loaded from the
// bytes XGBoost saves (JSON or UBJSON).
//
// Two ways to score, with the same results: the trees compiled into flat
// arrays (tree_ensemble.h: no call into XGBoost, no allocation but the
// result) where the model allows, which is what serving uses; and
// XGBoost's C API in place (XGBoosterPredictFromDense), one thread per call
// so that concurrency comes from the caller's threads (XGBoost keeps its
// prediction buffers per thread, which makes concurrent calls safe, 1.4+),
// the reference and the fallback.
//
// Thread-safe: Score may be called concurrently; the model is immutable.
#ifndef RECOMMENDER_LTR_XGBOOST_RANKER_MODEL_H_
#define RECOMMENDER_LTR_XGBOOST_RANKER_MODEL_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/ltr/ranker_model.h"

namespace recommender {

// Loads a model saved by XGBoosterSaveModelToBuffer that expects
// `num_features` features, scored by the flat evaluator when TreeEnsemble
// accepts the model, else through the C API. DataLoss if XGBoost cannot
// read the bytes or the model's feature count differs.
absl::StatusOr<std::unique_ptr<const RankerModel>> LoadXgboostRanker(
    absl::string_view model_bytes, int32_t num_features);

// The same model always scored through XGBoost's C API (the reference the
// flat evaluator is checked and measured against). Errors as above.
absl::StatusOr<std::unique_ptr<const RankerModel>> LoadXgboostRankerCApi(
    absl::string_view model_bytes, int32_t num_features);

}  // namespace recommender

#endif  // RECOMMENDER_LTR_XGBOOST_RANKER_MODEL_H_
