// Self-tuning on the shop's own recent history: before the model is
// trained, part of the training data is held out (validation_split.h: by
// default the last N days, N the horizon the picks are judged over when
// known, else from the shop's purchase cadence), models are
// trained on the rest and scored on it exactly as the evaluation scores
// them (the served path, evaluator.h's metrics), and the settings that
// score best are the ones the final model is trained with on everything.
//
// Three stages, each keeping the best so far, all within one wall-time
// budget (tuning_deadline.h):
//  1. iALS settings (factors, regularization, alpha, event weights, recency
//     half-life; none on a random slice, which cannot judge a decay) by
//     pattern search (pattern_search.h) from the trainer's settings; it starts
//     no trial that would end past 60 % of the budget. Then the
//     alpha/regularization ridge next to the best setting is followed (the best
//     alpha at each neighbouring regularization), and the settings there that
//     the slice cannot tell from the best (within two standard errors) are
//     served together, one block of factors each
//     (TrainerOptions::extra_ials_blocks);
//  2. the repurchase stage's window and weights (repurchase_adjuster.h),
//     ranking only, on the stage-1 model, up to 70 % of the budget;
//  3. a learned ranker (XGBoost, learning to rank) over candidates from
//     iALS, item-kNN, EASE, the customer's purchases and views, and
//     popularity (recommender/ranking/candidate_features.h), trained on the
//     validation slice and judged by customer-level cross-validation
//     against the stage-2 model; kept only if it scores higher. It gets
//     what is left: its examples come from fewer validation customers, its
//     boosting stops earlier and its second configuration is skipped when
//     little remains, and the report's budget_cuts says what was cut.
// The objective is nDCG@k averaged over the tasks ("all" and "new" for a
// shop). Every trial goes into the report (manifest and GetModelInfo).
//
// Deterministic with the seed (TrainerOptions::ials.seed) when
// max_ials_trials fixes the work (the budget is then not applied to any
// stage); under a budget, how much runs depends on the machine, and the
// report says what was cut.
//
// Thread-safe: no shared state (uses the trainer's thread count).
#ifndef TRAINING_TUNING_SELF_TUNING_SELF_TUNING_H_
#define TRAINING_TUNING_SELF_TUNING_SELF_TUNING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/snapshot.pb.h"
#include "recommender/data/shop_data.h"
#include "recommender/model/snapshot_contents.h"
#include "recommender/ranking/repurchase_adjuster.h"
#include "training/evaluation/protocol/evaluator.h"
#include "training/ranker/xgboost_ranker_trainer.h"
#include "training/trainer/trainer.h"
#include "training/tuning/self_tuning/validation_split.h"

namespace recommender {

struct SelfTuningOptions {
  bool enabled = false;
  // Wall time of the search, every stage included (the final training on
  // all the data comes on top).
  absl::Duration budget = absl::Minutes(6);
  // If > 0, stage 1 runs at most this many trials and no stage is bounded
  // by the budget (repeatable on any machine).
  int32_t max_ials_trials = 0;
  // The clock the budget is measured on; empty: absl::Now (tests pass a
  // fake one).
  std::function<absl::Time()> clock;
  // How the validation slice is cut (its seed and zone come from the
  // trainer's options).
  ValidationOptions validation;
  // The metrics' list length and the tasks the objective averages.
  int32_t k = 10;
  std::vector<EvalTask> tasks = {EvalTask::kAll, EvalTask::kNew};
  // Try a learned ranker (stage 3).
  bool ranker = true;
  int32_t ranker_folds = 3;
  // Boosting rounds are chosen by cross-validation up to this many.
  int32_t ranker_max_rounds = 300;
  // The ranker configurations tried, in order (rounds, seed and threads
  // are set by the tuning); empty: DefaultRankerConfigs().
  std::vector<RankerTrainingOptions> ranker_configs;
  // Redraw one progress line in place (a terminal) or log one per trial.
  bool terminal_progress = false;
};

// LambdaMART (rank:ndcg) with deep trees, then pairwise with shallow ones.
std::vector<RankerTrainingOptions> DefaultRankerConfigs();

struct TuningOutcome {
  // The settings to train the final model with.
  TrainerOptions trainer;
  // The repurchase stage chosen; unset if stage 2 did not run.
  std::optional<RepurchaseRankingOptions> repurchase;
  // The ranker's model bytes; empty if none was kept.
  std::string ranker_model;
  snapshot::RankerInfo ranker_info;
  snapshot::TuningReport report;
};

// Runs the three stages on `data`. With too little history for a
// validation slice the outcome keeps `base` and the report says why.
absl::StatusOr<TuningOutcome> TuneOnRecentHistory(
    const ShopData& data, const TrainerOptions& base,
    const SelfTuningOptions& options, std::ostream& log);

// TuneOnRecentHistory, then TrainSnapshotContents on all of `data` with the
// chosen settings; the snapshot also carries the ranker, the repurchase
// stage's settings (manifest parameters "repurchase_*") and the report.
// Without options.enabled, exactly TrainSnapshotContents.
// `on_epoch` sees the final training's epochs.
absl::StatusOr<SnapshotContents> TrainTunedSnapshotContents(
    const ShopData& data, const TrainerOptions& base,
    const SelfTuningOptions& options, int64_t version, std::ostream& log,
    const IalsEpochCallback& on_epoch = {});

}  // namespace recommender

#endif  // TRAINING_TUNING_SELF_TUNING_SELF_TUNING_H_
