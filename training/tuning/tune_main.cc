// The tuning tool: a grid or random search over the training settings (iALS
// and the event weights and recency that make interaction strengths), each
// trial trained and scored by the evaluation tool's own split and metrics
// (//training/evaluation:evaluate), so that a tuned setting means the same there.
//
//   bazel run //training/tuning:tune -- --dataset=movielens:$PWD/../shared/data/ml-100k
//       --split=random-75-25 --seed=1 --grid_factors=32,64,128
//       --grid_regularization=5,10,20,30 --grid_alpha=0.05,0.1,0.2
//       --out=tune.tsv
//
// A --grid_X flag left empty searches nothing there: the trainer's own --X
// flag (or --config=FILE) gives the one value, as for every setting without
// a grid flag. Prints the table of every trial (tab-separated, docs/evaluation.md)
// on stdout and writes it to --out; progress and the best trial go to
// stderr. Trials are ranked by the objective, ndcg@k averaged over the
// dataset's tasks ("new" for MovieLens, "all" and "new" for shop data).
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "training/evaluation/dataset_input.h"
#include "training/evaluation/evaluation_run.h"
#include "training/trainer/command_line.h"
#include "training/trainer/trainer_flags.h"
#include "training/tuning/hyperparameter_search.h"

// Defined by //training/trainer:trainer_flags; here --seed also seeds the split and
// the random search.
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(int32_t, threads);

ABSL_FLAG(std::string, dataset, "", "shop:DIR or movielens:DIR, as for evaluate.");
ABSL_FLAG(std::string, split, "", "As for evaluate, e.g. random-75-25 or time:YYYY-MM-DD.");
ABSL_FLAG(int32_t, k, 10, "List length of the metrics (1..100).");
ABSL_FLAG(int32_t, test_days, 0, "As for evaluate.");
ABSL_FLAG(std::string, model, "ials",
          "Which model the trials train: ials (plain iALS) or default (the "
          "trainer's whole pipeline, ranked as served).");
ABSL_FLAG(std::string, search, "grid", "grid (every combination) or random.");
ABSL_FLAG(int32_t, trials, 20, "Random search: combinations tried.");
ABSL_FLAG(std::string, grid_factors, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_epochs, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_regularization, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_regularization_exponent, "",
          "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_alpha, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_view_weight, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_cart_weight, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_purchase_weight, "", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_recency_half_life_days, "",
          "Comma-separated values to try.");
ABSL_FLAG(std::string, out, "", "If set, the table is also written here.");

namespace recommender {
namespace {

// Parses one --grid_X flag into `values`; an empty flag leaves it empty.
template <typename T>
absl::Status ParseGridFlag(const char* name, const absl::Flag<std::string>& flag,
                           std::vector<T>* values) {
  const std::string text = absl::GetFlag(flag);
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<T>> parsed;
  if constexpr (std::is_same_v<T, int32_t>) {
    parsed = ParseIntList(name, text);
  } else {
    parsed = ParseFloatList(name, text);
  }
  if (!parsed.ok()) return parsed.status();
  *values = *std::move(parsed);
  return absl::OkStatus();
}

absl::StatusOr<IalsSearchSpace> SpaceFromFlags(const TrainerOptions& base) {
  IalsSearchSpace space;
  RETURN_IF_ERROR(ParseGridFlag("grid_factors", FLAGS_grid_factors, &space.factors));
  RETURN_IF_ERROR(ParseGridFlag("grid_epochs", FLAGS_grid_epochs, &space.epochs));
  RETURN_IF_ERROR(ParseGridFlag("grid_regularization", FLAGS_grid_regularization,
                                &space.regularization));
  RETURN_IF_ERROR(ParseGridFlag("grid_regularization_exponent",
                                FLAGS_grid_regularization_exponent,
                                &space.regularization_exponent));
  RETURN_IF_ERROR(ParseGridFlag("grid_alpha", FLAGS_grid_alpha, &space.alpha));
  RETURN_IF_ERROR(ParseGridFlag("grid_view_weight", FLAGS_grid_view_weight,
                                &space.view_weight));
  RETURN_IF_ERROR(ParseGridFlag("grid_cart_weight", FLAGS_grid_cart_weight,
                                &space.cart_weight));
  RETURN_IF_ERROR(ParseGridFlag("grid_purchase_weight", FLAGS_grid_purchase_weight,
                                &space.purchase_weight));
  RETURN_IF_ERROR(ParseGridFlag("grid_recency_half_life_days",
                                FLAGS_grid_recency_half_life_days,
                                &space.recency_half_life_days));
  return SearchSpaceAround(space, base.ials, base.interactions);
}

absl::StatusOr<std::vector<IalsTrial>> TrialsFromFlags(
    const IalsSearchSpace& space) {
  const std::string search = absl::GetFlag(FLAGS_search);
  if (search == "grid") return GridTrials(space);
  if (search == "random") {
    if (absl::GetFlag(FLAGS_trials) < 1) {
      return absl::InvalidArgumentError("--trials must be >= 1");
    }
    return RandomTrials(space, absl::GetFlag(FLAGS_trials),
                        absl::GetFlag(FLAGS_seed));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--search must be grid or random, got \"", search, "\""));
}

// The trial as the trainer's flags spell it.
std::string TrialFlags(const IalsTrial& t) {
  return absl::StrFormat(
      "--factors=%d --epochs=%d --regularization=%g "
      "--regularization_exponent=%g --alpha=%g --view_weight=%g "
      "--cart_weight=%g --purchase_weight=%g --recency_half_life_days=%g",
      t.factors, t.epochs, t.regularization, t.regularization_exponent,
      t.alpha, t.view_weight, t.cart_weight, t.purchase_weight,
      t.recency_half_life_days);
}

// One trial: its metrics as "task/metric@k" and the objective.
absl::StatusOr<TrialResult> RunTrial(const EvalDataset& dataset,
                                     EvaluationOptions options,
                                     const IalsTrial& trial, double* objective) {
  ApplyTrial(trial, &options.trainer.ials, &options.trainer.interactions);
  if (absl::Status s = ValidateIalsOptions(options.trainer.ials); !s.ok()) {
    return s;
  }
  std::ostringstream quiet;  // Per-epoch progress would drown the table.
  ASSIGN_OR_RETURN(Evaluation evaluation, RunEvaluation(dataset, options, quiet));
  TrialResult result;
  result.trial = trial;
  *objective = 0;
  for (const ModelEvaluation& model : evaluation.models) {
    result.seconds += model.train_seconds;
    for (const auto& [task, metrics] : model.tasks) {
      const std::string prefix = absl::StrCat(EvalTaskName(task), "/");
      for (const char* name : {"precision", "recall", "ndcg", "map", "coverage"}) {
        const std::string metric = absl::StrCat(name, "@", options.k);
        result.metrics[prefix + metric] = metrics.Value(metric);
      }
      *objective += metrics.Value(absl::StrCat("ndcg@", options.k)) /
                    static_cast<double>(model.tasks.size());
    }
  }
  return result;
}

absl::Status Run() {
  ASSIGN_OR_RETURN(TrainerOptions trainer, TrainerOptionsFromFlags());
  ASSIGN_OR_RETURN(SplitSpec split, ParseSplitSpec(absl::GetFlag(FLAGS_split)));
  ASSIGN_OR_RETURN(IalsSearchSpace space, SpaceFromFlags(trainer));
  ASSIGN_OR_RETURN(std::vector<IalsTrial> trials, TrialsFromFlags(space));
  const std::string model = absl::GetFlag(FLAGS_model);
  if (model != "ials" && model != "default") {
    return absl::InvalidArgumentError(
        absl::StrCat("--model must be ials or default, got \"", model, "\""));
  }
  EvaluationOptions options;
  options.split = split;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.k = absl::GetFlag(FLAGS_k);
  options.report_ks = {options.k};
  options.test_days = absl::GetFlag(FLAGS_test_days);
  options.models = {model};
  options.trainer = trainer;
  options.threads = absl::GetFlag(FLAGS_threads);
  ASSIGN_OR_RETURN(EvalDataset dataset,
                   LoadEvalDataset(absl::GetFlag(FLAGS_dataset)));

  std::vector<TrialResult> results;
  double best_objective = -1;
  size_t best = 0;
  for (size_t t = 0; t < trials.size(); ++t) {
    double objective = 0;
    ASSIGN_OR_RETURN(TrialResult result,
                     RunTrial(dataset, options, trials[t], &objective));
    std::cerr << absl::StrFormat("trial %d/%d: %s -> ndcg@%d %.4f (%.1f s)\n",
                                 t + 1, trials.size(), TrialFlags(trials[t]),
                                 options.k, objective, result.seconds);
    if (objective > best_objective) {
      best_objective = objective;
      best = t;
    }
    results.push_back(std::move(result));
  }
  const std::string table = TrialTableTsv(results);
  std::cout << table;
  const IalsTrial& b = trials[best];
  std::cerr << absl::StrFormat("best: trial %d, ndcg@%d %.4f: %s\n", best + 1,
                               options.k, best_objective, TrialFlags(b));
  const std::string out = absl::GetFlag(FLAGS_out);
  if (!out.empty()) return WriteFileDurably(out, table);
  return absl::OkStatus();
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Grid or random search over iALS settings on one evaluation split; "
      "the table of every trial on stdout.");
  recommender::ParseTrainingCommandLine(argc, argv);
  const absl::Status status = recommender::Run();
  if (!status.ok()) {
    std::cerr << "tune: " << status.message() << "\n";
    return absl::IsInvalidArgument(status) ? 2 : 1;
  }
  return 0;
}
