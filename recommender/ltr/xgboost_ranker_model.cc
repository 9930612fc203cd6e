#include "recommender/ltr/xgboost_ranker_model.h"

#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/ltr/tree_ensemble.h"
#include "recommender/ltr/xgboost_status.h"
#include "xgboost/c_api.h"

namespace recommender {
namespace {

// Normal prediction over all trees; NaN marks missing values.
constexpr char kPredictConfig[] =
    "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
    "\"iteration_end\": 0, \"strict_shape\": false, \"missing\": NaN, "
    "\"cache_id\": 0}";

class XgboostRankerModel : public RankerModel {
 public:
  XgboostRankerModel(BoosterHandle booster, int32_t num_features)
      : booster_(booster), num_features_(num_features) {}
  ~XgboostRankerModel() override { XGBoosterFree(booster_); }
  XgboostRankerModel(const XgboostRankerModel&) = delete;
  XgboostRankerModel& operator=(const XgboostRankerModel&) = delete;

  int32_t num_features() const override { return num_features_; }

  absl::StatusOr<std::vector<float>> Score(
      absl::Span<const float> features) const override {
    if (features.size() % num_features_ != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ranker features: ", features.size(), " values is not a multiple of ",
          num_features_, " features"));
    }
    const uint64_t rows = features.size() / num_features_;
    if (rows == 0) return std::vector<float>();
    // numpy's __array_interface__, which XGBoost reads the matrix through.
    const std::string array = absl::StrFormat(
        "{\"data\": [%u, true], \"shape\": [%u, %d], \"typestr\": \"<f4\", "
        "\"version\": 3}",
        reinterpret_cast<uintptr_t>(features.data()), rows, num_features_);
    const bst_ulong* shape = nullptr;
    bst_ulong dimensions = 0;
    const float* result = nullptr;
    try {
      absl::Status status = XgboostStatus(
          XGBoosterPredictFromDense(booster_, array.c_str(), kPredictConfig,
                                    nullptr, &shape, &dimensions, &result),
          "ranker prediction");
      if (!status.ok()) return status;
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("ranker prediction: ", e.what()));
    }
    // The buffer belongs to XGBoost (per thread) until its next call.
    return std::vector<float>(result, result + rows);
  }

 private:
  BoosterHandle booster_;
  const int32_t num_features_;
};

// Scores with the trees compiled into flat arrays.
class FlatRankerModel : public RankerModel {
 public:
  explicit FlatRankerModel(TreeEnsemble ensemble)
      : ensemble_(std::move(ensemble)) {}

  int32_t num_features() const override { return ensemble_.num_features(); }

  absl::StatusOr<std::vector<float>> Score(
      absl::Span<const float> features) const override {
    const size_t width = static_cast<size_t>(ensemble_.num_features());
    if (features.size() % width != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("ranker features: ", features.size(),
                       " values is not a multiple of ", width, " features"));
    }
    std::vector<float> scores(features.size() / width);
    ensemble_.Predict(features, absl::MakeSpan(scores));
    return scores;
  }

 private:
  const TreeEnsemble ensemble_;
};

// A booster holding the model, set to predict on the calling thread only;
// the caller frees it. DataLoss as LoadXgboostRanker says.
absl::StatusOr<BoosterHandle> LoadBooster(absl::string_view model_bytes,
                                          int32_t num_features) {
  if (num_features < 1) {
    return absl::InvalidArgumentError("ranker: needs at least one feature");
  }
  BoosterHandle booster = nullptr;
  absl::Status status;
  try {
    status = XgboostStatus(XGBoosterCreate(nullptr, 0, &booster), "ranker");
    if (status.ok()) {
      status =
          XgboostStatus(XGBoosterLoadModelFromBuffer(
                            booster, model_bytes.data(), model_bytes.size()),
                        "ranker model");
    }
    bst_ulong model_features = 0;
    if (status.ok()) {
      status = XgboostStatus(XGBoosterGetNumFeature(booster, &model_features),
                             "ranker model");
    }
    if (status.ok() && model_features != static_cast<bst_ulong>(num_features)) {
      status = absl::DataLossError(
          absl::StrCat("ranker model: expects ", model_features,
                       " features, the snapshot describes ", num_features));
    }
    if (status.ok()) {
      // One thread per request: the server's concurrency is its RPC threads.
      status = XgboostStatus(XGBoosterSetParam(booster, "nthread", "1"),
                             "ranker model");
    }
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("ranker model: ", e.what()));
  }
  if (!status.ok()) {
    if (booster != nullptr) XGBoosterFree(booster);
    return absl::DataLossError(status.message());
  }
  return booster;
}

// The booster's model as XGBoost's JSON.
absl::StatusOr<std::string> ModelJson(BoosterHandle booster) {
  bst_ulong size = 0;
  const char* json = nullptr;
  try {
    absl::Status status =
        XgboostStatus(XGBoosterSaveModelToBuffer(
                          booster, "{\"format\": \"json\"}", &size, &json),
                      "ranker model as JSON");
    if (!status.ok()) return status;
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("ranker model as JSON: ", e.what()));
  }
  return std::string(json, size);
}

}  // namespace

absl::StatusOr<std::unique_ptr<const RankerModel>> LoadXgboostRankerCApi(
    absl::string_view model_bytes, int32_t num_features) {
  absl::StatusOr<BoosterHandle> booster =
      LoadBooster(model_bytes, num_features);
  if (!booster.ok()) return booster.status();
  return std::unique_ptr<const RankerModel>(
      new XgboostRankerModel(*booster, num_features));
}

absl::StatusOr<std::unique_ptr<const RankerModel>> LoadXgboostRanker(
    absl::string_view model_bytes, int32_t num_features) {
  absl::StatusOr<BoosterHandle> booster =
      LoadBooster(model_bytes, num_features);
  if (!booster.ok()) return booster.status();
  absl::StatusOr<std::string> json = ModelJson(*booster);
  absl::StatusOr<TreeEnsemble> ensemble =
      json.ok() ? TreeEnsemble::FromXgboostJson(*json)
                : absl::StatusOr<TreeEnsemble>(json.status());
  if (!ensemble.ok() &&
      ensemble.status().code() == absl::StatusCode::kUnimplemented) {
    // A model the flat evaluator does not cover: XGBoost scores it.
    return std::unique_ptr<const RankerModel>(
        new XgboostRankerModel(*booster, num_features));
  }
  XGBoosterFree(*booster);
  if (!ensemble.ok()) return absl::DataLossError(ensemble.status().message());
  if (ensemble->num_features() != num_features) {
    return absl::DataLossError(
        absl::StrCat("ranker model: its JSON names ", ensemble->num_features(),
                     " features, the snapshot describes ", num_features));
  }
  return std::unique_ptr<const RankerModel>(
      new FlatRankerModel(*std::move(ensemble)));
}

}  // namespace recommender
