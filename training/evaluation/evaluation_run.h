// One evaluation as the tool runs it: load the dataset, split it, train
// every requested model on the training part, rank for every test customer
// and score each task (evaluator.h) — all on the same split.
//
// Thread-safe: no shared state (progress goes to `log`).
#ifndef TRAINING_EVALUATION_EVALUATION_RUN_H_
#define TRAINING_EVALUATION_EVALUATION_RUN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "recommender/ranking/repurchase_adjuster.h"
#include "training/evaluation/protocol/data_split.h"
#include "training/evaluation/dataset_input.h"
#include "training/evaluation/protocol/evaluator.h"
#include "training/evaluation/model_suite.h"
#include "training/evaluation/protocol/ranking_metrics.h"
#include "training/trainer/trainer.h"
#include "training/tuning/self_tuning/self_tuning.h"

namespace recommender {

struct EvaluationOptions {
  SplitSpec split;
  // Seeds the random split (the models' seeds are in `trainer`).
  uint64_t seed = 1;
  // The headline cutoff of the lists.
  int k = 10;
  // Every k the report plots (k is added if missing); each 1..100.
  std::vector<int> report_ks = {1, 3, 5, 10, 20, 50};
  // With a time split, only purchases in this many days after the cutoff
  // are the test; 0: all of them.
  int32_t test_days = 0;
  // Models to run, in order (model_suite.h); empty: all known.
  std::vector<std::string> models;
  TrainerOptions trainer;
  // The baselines' input (model_suite.h); event counts unless set.
  InteractionOptions baseline_interactions = EventCounts();
  // The default model's repurchase stage; unset: the snapshot's own (tuned,
  // or the server's defaults).
  std::optional<RepurchaseRankingOptions> repurchase;
  // The default model's self-tuning; RunEvaluation holds its validation
  // out the way the split holds out the test (random for a random split,
  // the last days otherwise) and averages the dataset's tasks at k.
  SelfTuningOptions tuning;
  // Score every training epoch of the iALS-based models (for the report).
  bool epoch_curves = false;
  int32_t threads = 2;
};

struct ModelEvaluation {
  std::string name;
  double train_seconds = 0;
  // Per task, in the dataset's task order.
  std::vector<std::pair<EvalTask, RankingMetrics>> tasks;
  // With epoch_curves: per task, ndcg@k after each epoch.
  std::map<EvalTask, std::vector<double>> ndcg_by_epoch;
};

struct Evaluation {
  std::string dataset;
  DatasetKind kind = DatasetKind::kShop;
  SplitSpec split;
  int k = 10;
  std::vector<int> ks;  // Ascending, k included.
  std::vector<EvalTask> tasks;
  // Figures about the split (events, customers) for the output.
  nlohmann::ordered_json split_info;
  // Every setting that shapes the numbers: the baselines' input, the
  // default model's training parameters (as its manifest records them)
  // and its repurchase stage.
  nlohmann::ordered_json parameters;
  std::vector<ModelEvaluation> models;
  // Models of an all-models run that refused the dataset, and why.
  std::vector<std::pair<std::string, std::string>> skipped;
  // "ground_truth" or "catalog": which labels decide owned durables.
  std::string durability_source;
  // Precision and recall of the default model's inferred durability against
  // the generator's truth; null when there is no truth or no default model.
  nlohmann::ordered_json durability_inference;
};

// The tasks of a dataset: shop data both "all" and "new"; MovieLens only
// "new" (items seen in training removed).
std::vector<EvalTask> TasksFor(DatasetKind kind);

absl::StatusOr<Evaluation> RunEvaluation(const EvalDataset& dataset,
                                         const EvaluationOptions& options,
                                         std::ostream& log);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_EVALUATION_RUN_H_
