// Trains each model the evaluation compares on a split's training part and
// wraps it as an EvalRanker:
//   "popularity", "rebuy",      baseline_rankers.h;
//   "rebuy_popular"
//   "ials"                      plain iALS (training/ials/ials.h, the trainer's
//                               iALS settings) on the baselines' matrix
//                               (SuiteOptions::baseline_interactions: by
//                               default every event counts 1), ranked by
//                               dot product, no business rules;
//   "itemknn", "ease"           training/evaluation/baselines/ on that
//                               matrix, each customer's row as their
//                               history;
//   "default"                   the trainer's default pipeline, self-tuning
//                               included, ranked as served
//                               (served_model_ranker.h).
//
// Thread-safe: no shared state (training uses options.trainer.ials.threads).
#ifndef TRAINING_EVALUATION_MODEL_SUITE_H_
#define TRAINING_EVALUATION_MODEL_SUITE_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/repurchase_adjuster.h"
#include "training/evaluation/protocol/data_split.h"
#include "training/evaluation/protocol/eval_ranker.h"
#include "training/ials/interaction_matrix.h"
#include "training/trainer/trainer.h"
#include "training/tuning/self_tuning/self_tuning.h"

namespace recommender {

// The baselines' plain input: every event (view, cart, purchase) counts 1,
// no recency decay — the default model's data without its per-type
// confidence and recency.
InteractionOptions EventCounts();
// Purchases only, each counting 1.
InteractionOptions PurchaseCounts();

// Every model name TrainSuiteModel knows, in report order.
const std::vector<std::string>& SuiteModelNames();

struct SuiteOptions {
  // The default model's pipeline; "ials" uses its interactions and iALS
  // options too.
  TrainerOptions trainer;
  // How events become the baselines' matrix ("ials", "itemknn", "ease").
  InteractionOptions baseline_interactions = EventCounts();
  // The served model's repurchase stage; unset: the snapshot's own (tuned,
  // or the server's defaults), set when an evaluation asks what another
  // setting would do.
  std::optional<RepurchaseRankingOptions> repurchase;
  // The default model's self-tuning (training/tuning/self_tuning/self_tuning.h), as the
  // trainer runs it.
  SelfTuningOptions tuning;
  // Also keep one ranker per training epoch (iALS-based models).
  bool record_epochs = false;
};

struct SuiteModel {
  std::string name;
  std::unique_ptr<EvalRanker> ranker;
  // With record_epochs, the model after each epoch (epoch 1 first).
  std::vector<std::unique_ptr<EvalRanker>> epochs;
  double train_seconds = 0;
  // For "default": the served snapshot (durability inference is read from
  // it); null otherwise.
  std::shared_ptr<const ModelSnapshot> snapshot;
};

// InvalidArgument for an unknown name; training errors as returned.
absl::StatusOr<SuiteModel> TrainSuiteModel(const std::string& name,
                                           const DataSplit& split,
                                           const SuiteOptions& options,
                                           std::ostream& log);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_MODEL_SUITE_H_
