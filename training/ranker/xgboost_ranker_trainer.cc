#include "training/ranker/xgboost_ranker_trainer.h"

#include <cmath>
#include <exception>
#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/xgboost_status.h"
#include "recommender/util/status_macros.h"
#include "xgboost/c_api.h"

namespace recommender {
namespace {

struct MatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
struct BoosterDeleter {
  void operator()(void* handle) const { XGBoosterFree(handle); }
};
using Matrix = std::unique_ptr<void, MatrixDeleter>;
using Booster = std::unique_ptr<void, BoosterDeleter>;

absl::StatusOr<Matrix> ToMatrix(const RankerExamples& examples) {
  if (examples.rows() == 0 ||
      examples.features.size() !=
          static_cast<size_t>(examples.rows()) * kNumRankingFeatures) {
    return absl::InvalidArgumentError(
        "ranker examples: no rows, or rows of the wrong width");
  }
  DMatrixHandle handle = nullptr;
  RETURN_IF_ERROR(XgboostStatus(
      XGDMatrixCreateFromMat(examples.features.data(), examples.rows(),
                             kNumRankingFeatures, NAN, &handle),
      "ranker examples"));
  Matrix matrix(handle);
  RETURN_IF_ERROR(XgboostStatus(
      XGDMatrixSetFloatInfo(handle, "label", examples.labels.data(),
                            examples.labels.size()),
      "ranker labels"));
  RETURN_IF_ERROR(XgboostStatus(
      XGDMatrixSetUIntInfo(handle, "group", examples.group_sizes.data(),
                           examples.group_sizes.size()),
      "ranker groups"));
  return matrix;
}

absl::StatusOr<std::string> SaveModel(BoosterHandle handle) {
  bst_ulong size = 0;
  const char* bytes = nullptr;
  RETURN_IF_ERROR(XgboostStatus(
      XGBoosterSaveModelToBuffer(handle, "{\"format\": \"ubj\"}", &size, &bytes),
      "ranker model"));
  return std::string(bytes, size);
}

// "[3]\teval-ndcg@10:0.71" -> 0.71.
absl::StatusOr<double> ParseMetric(const char* text) {
  const std::vector<std::string> parts = absl::StrSplit(text, ':');
  double value;
  if (parts.size() < 2 || !absl::SimpleAtod(parts.back(), &value)) {
    return absl::InternalError(absl::StrCat("ranker: cannot read \"", text, "\""));
  }
  return value;
}

absl::StatusOr<TrainedRanker> Train(const RankerExamples& train,
                                    const RankerExamples* eval,
                                    const RankerTrainingOptions& options) {
  ASSIGN_OR_RETURN(Matrix train_matrix, ToMatrix(train));
  Matrix eval_matrix;
  if (eval != nullptr) {
    ASSIGN_OR_RETURN(eval_matrix, ToMatrix(*eval));
  }
  DMatrixHandle train_handle = train_matrix.get();
  BoosterHandle handle = nullptr;
  RETURN_IF_ERROR(XgboostStatus(XGBoosterCreate(&train_handle, 1, &handle),
                                "ranker booster"));
  Booster booster(handle);
  for (const auto& [name, value] : RankerTrainingParameters(options)) {
    if (name == "rounds") continue;
    RETURN_IF_ERROR(XgboostStatus(
        XGBoosterSetParam(handle, name.c_str(), value.c_str()),
        absl::StrCat("ranker parameter ", name)));
  }
  RETURN_IF_ERROR(XgboostStatus(XGBoosterSetParam(handle, "verbosity", "0"),
                                "ranker parameter verbosity"));
  TrainedRanker trained;
  for (int32_t round = 0; round < options.rounds; ++round) {
    RETURN_IF_ERROR(XgboostStatus(
        XGBoosterUpdateOneIter(handle, round, train_handle), "ranker training"));
    if (eval_matrix != nullptr) {
      DMatrixHandle eval_handle = eval_matrix.get();
      const char* names[] = {"eval"};
      const char* result = nullptr;
      RETURN_IF_ERROR(XgboostStatus(
          XGBoosterEvalOneIter(handle, round, &eval_handle, names, 1, &result),
          "ranker evaluation"));
      ASSIGN_OR_RETURN(const double ndcg, ParseMetric(result));
      trained.eval_ndcg.push_back(ndcg);
      if (trained.best_round == 0 || ndcg > trained.eval_ndcg[trained.best_round - 1]) {
        trained.best_round = round + 1;
      }
      if (options.early_stopping_rounds > 0 &&
          round + 1 - trained.best_round >= options.early_stopping_rounds) {
        trained.rounds = round + 1;
        break;
      }
    }
    trained.rounds = round + 1;
    if (options.stop && round + 1 < options.rounds && options.stop()) {
      trained.stopped = true;
      break;
    }
  }
  ASSIGN_OR_RETURN(trained.model, SaveModel(handle));
  return trained;
}

absl::StatusOr<std::string> Truncate(const std::string& model, int32_t rounds) {
  BoosterHandle handle = nullptr;
  RETURN_IF_ERROR(XgboostStatus(XGBoosterCreate(nullptr, 0, &handle), "ranker"));
  Booster booster(handle);
  RETURN_IF_ERROR(XgboostStatus(
      XGBoosterLoadModelFromBuffer(handle, model.data(), model.size()),
      "ranker model"));
  BoosterHandle sliced_handle = nullptr;
  RETURN_IF_ERROR(XgboostStatus(
      XGBoosterSlice(handle, 0, rounds, 1, &sliced_handle), "ranker slice"));
  Booster sliced(sliced_handle);
  return SaveModel(sliced_handle);
}

}  // namespace

absl::StatusOr<std::string> TruncateXgboostRanker(const std::string& model,
                                                  int32_t rounds) {
  if (rounds < 1) {
    return absl::InvalidArgumentError("ranker: keep at least one round");
  }
  try {
    return Truncate(model, rounds);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("ranker slice: ", e.what()));
  }
}

std::map<std::string, std::string> RankerTrainingParameters(
    const RankerTrainingOptions& options) {
  return {
      {"objective", options.objective},
      {"rounds", absl::StrCat(options.rounds)},
      {"eta", absl::StrCat(options.eta)},
      {"max_depth", absl::StrCat(options.max_depth)},
      {"min_child_weight", absl::StrCat(options.min_child_weight)},
      {"subsample", absl::StrCat(options.subsample)},
      {"colsample_bytree", absl::StrCat(options.colsample_bytree)},
      {"lambda", absl::StrCat(options.lambda)},
      {"eval_metric", absl::StrCat("ndcg@", options.eval_k)},
      {"tree_method", "hist"},
      {"seed", absl::StrCat(options.seed)},
      {"nthread", absl::StrCat(options.threads)},
  };
}

absl::StatusOr<TrainedRanker> TrainXgboostRanker(
    const RankerExamples& train, const RankerExamples* eval,
    const RankerTrainingOptions& options) {
  if (options.objective != "rank:ndcg" && options.objective != "rank:pairwise") {
    return absl::InvalidArgumentError(absl::StrCat(
        "ranker objective must be rank:ndcg or rank:pairwise, got \"",
        options.objective, "\""));
  }
  if (options.rounds < 1 || options.max_depth < 1 || options.threads < 1 ||
      !(options.eta > 0)) {
    return absl::InvalidArgumentError(
        "ranker: rounds, max_depth and threads must be >= 1 and eta > 0");
  }
  try {
    return Train(train, eval, options);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("ranker training: ", e.what()));
  }
}

}  // namespace recommender
