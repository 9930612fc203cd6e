// Trains the learned ranker: gradient-boosted trees (XGBoost, Chen &
// Guestrin 2016) with a learning-to-rank objective — LambdaMART's
// "rank:ndcg" (Burges 2010) or "rank:pairwise" — on RankerExamples, through
// XGBoost's C API. The model bytes it returns are what the snapshot stores
// and recommender/ltr/xgboost_ranker_model.h loads.
//
// Thread-safe: no shared state (XGBoost uses `threads` threads).
#ifndef TRAINING_RANKER_XGBOOST_RANKER_TRAINER_H_
#define TRAINING_RANKER_XGBOOST_RANKER_TRAINER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "training/ranker/ranker_examples.h"

namespace recommender {

struct RankerTrainingOptions {
  // "rank:ndcg" or "rank:pairwise".
  std::string objective = "rank:ndcg";
  int32_t rounds = 200;
  double eta = 0.1;
  int32_t max_depth = 6;
  double min_child_weight = 1;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double lambda = 1;
  // The evaluation metric's cutoff (ndcg@eval_k on the evaluation groups).
  int32_t eval_k = 10;
  // With evaluation groups: stop once ndcg@eval_k on them has not improved
  // for this many rounds (0: run all rounds).
  int32_t early_stopping_rounds = 0;
  uint64_t seed = 1;
  int32_t threads = 2;
  // Asked after every round; true stops the training there (at least one
  // round is always trained). Empty: all rounds. Not a model parameter.
  std::function<bool()> stop;
};

// "objective=rank:ndcg eta=0.1 ..." as recorded in manifests.
std::map<std::string, std::string> RankerTrainingParameters(
    const RankerTrainingOptions& options);

struct TrainedRanker {
  // XGBoost's UBJSON model.
  std::string model;
  // Rounds trained (fewer than asked after an early stop).
  int32_t rounds = 0;
  // Whether options.stop ended the training before its rounds.
  bool stopped = false;
  // With evaluation groups: ndcg@eval_k on them after each round, and the
  // round (1-based) where it was highest.
  std::vector<double> eval_ndcg;
  int32_t best_round = 0;
};

// Trains options.rounds rounds on `train`; with `eval`, records XGBoost's
// ndcg@eval_k on it after every round. InvalidArgument for empty examples
// or a bad option; Internal for XGBoost's failures.
absl::StatusOr<TrainedRanker> TrainXgboostRanker(
    const RankerExamples& train, const RankerExamples* eval,
    const RankerTrainingOptions& options);

// The model of `trained` cut to its first `rounds` rounds (1..its rounds).
absl::StatusOr<std::string> TruncateXgboostRanker(const std::string& model,
                                                  int32_t rounds);

}  // namespace recommender

#endif  // TRAINING_RANKER_XGBOOST_RANKER_TRAINER_H_
