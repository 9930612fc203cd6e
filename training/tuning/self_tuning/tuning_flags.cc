#include "training/tuning/self_tuning/tuning_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, tune, "on",
          "on: choose the iALS settings, the repurchase stage and a learned "
          "ranker on the shop's own recent history, then train on everything "
          "with them (docs/evaluation.md, \"Self-tuning\"); off: train with "
          "the settings given.");
ABSL_FLAG(absl::Duration, tune_budget, absl::Minutes(6),
          "Wall time of the self-tuning (e.g. 90s, 10m), every stage "
          "included: the learned ranker's is cut to what is left, and the "
          "manifest's tuning.budget_cuts says what was cut; the final "
          "training comes on top.");
ABSL_FLAG(int32_t, tune_trials, 0,
          "If > 0, the iALS search runs at most this many trials and no "
          "stage is bounded by the budget: the same seed then gives the same "
          "model on any machine.");
ABSL_FLAG(int32_t, tune_validation_days, 0,
          "Days held out at the end of the history to tune on (the horizon "
          "the picks should be good for); 0: an evaluation's test window, "
          "else the shop's purchase cadence (at least 7).");
ABSL_FLAG(int32_t, tune_max_validation_customers, 5000,
          "Score the tuning's trials on a seeded sample of at most this many "
          "validation customers (0: all of them); bounds a trial's cost on a "
          "large shop.");
ABSL_FLAG(bool, tune_ranker, true,
          "Also try a learned ranker (XGBoost) over several candidate sources; "
          "it is kept only if it beats the model without one.");

ABSL_FLAG(std::string, tune_tasks, "all,new",
          "The kinds of request whose mean nDCG the tuning maximises: "
          "all,new (whole lists and never-bought-only lists, "
          "exclude_purchased), all, or new (for a shop whose requests all "
          "leave out what the customer bought). The evaluation tool scores "
          "MovieLens on new alone whatever this says.");

namespace recommender {

absl::StatusOr<SelfTuningOptions> SelfTuningOptionsFromFlags() {
  SelfTuningOptions options;
  const std::string tune = absl::GetFlag(FLAGS_tune);
  if (tune != "on" && tune != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("--tune: must be on or off, got \"", tune, "\""));
  }
  options.enabled = tune == "on";
  options.budget = absl::GetFlag(FLAGS_tune_budget);
  if (options.budget <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--tune_budget: must be positive");
  }
  options.max_ials_trials = absl::GetFlag(FLAGS_tune_trials);
  if (options.max_ials_trials < 0) {
    return absl::InvalidArgumentError("--tune_trials: must be >= 0");
  }
  options.validation.days = absl::GetFlag(FLAGS_tune_validation_days);
  if (options.validation.days < 0) {
    return absl::InvalidArgumentError("--tune_validation_days: must be >= 0");
  }
  options.validation.max_customers =
      absl::GetFlag(FLAGS_tune_max_validation_customers);
  if (options.validation.max_customers < 0) {
    return absl::InvalidArgumentError(
        "--tune_max_validation_customers: must be >= 0");
  }
  options.ranker = absl::GetFlag(FLAGS_tune_ranker);
  const std::string tasks = absl::GetFlag(FLAGS_tune_tasks);
  if (tasks == "all,new" || tasks == "new,all") {
    options.tasks = {EvalTask::kAll, EvalTask::kNew};
  } else if (tasks == "all") {
    options.tasks = {EvalTask::kAll};
  } else if (tasks == "new") {
    options.tasks = {EvalTask::kNew};
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tune_tasks: must be all,new, all or new, got \"", tasks, "\""));
  }
  return options;
}

}  // namespace recommender
