// The tuning tool: a grid or random search over iALS settings, each trial
// trained and scored by the evaluation tool's own split and metrics
// (//training:evaluate), so that a tuned setting means the same there.
//
//   bazel run //training:tune -- --dataset=movielens:$PWD/../shared/data/ml-100k
//       --split=random-75-25 --seed=1 --grid_factors=32,64,128
//       --grid_regularization=5,10,20,30 --grid_alpha=0.05,0.1,0.2
//       --out=/tmp/tune.tsv
//
// Every other training setting comes from the trainer's flags (--config=FILE
// too). Prints the table of every trial (tab-separated, docs/evaluation.md)
// on stdout and writes it to --out; progress and the best trial go to
// stderr. Trials are ranked by the objective, ndcg@k averaged over the
// dataset's tasks ("new" for MovieLens, "all" and "new" for shop data).
#include <iostream>
#include <sstream>
#include <string>
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
#include "training/flag_config_file.h"
#include "training/hyperparameter_search.h"
#include "training/trainer_flags.h"

// Defined by //training:trainer_flags; here --seed also seeds the split and
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
ABSL_FLAG(std::string, grid_factors, "64", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_epochs, "15", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_regularization, "0.1", "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_regularization_exponent, "0",
          "Comma-separated values to try.");
ABSL_FLAG(std::string, grid_alpha, "1", "Comma-separated values to try.");
ABSL_FLAG(std::string, out, "", "If set, the table is also written here.");

namespace recommender {
namespace {

absl::StatusOr<IalsSearchSpace> SpaceFromFlags() {
  IalsSearchSpace space;
  auto assign = [](auto parsed, auto* field) -> absl::Status {
    if (!parsed.ok()) return parsed.status();
    *field = *std::move(parsed);
    return absl::OkStatus();
  };
  for (absl::Status s :
       {assign(ParseIntList("grid_factors", absl::GetFlag(FLAGS_grid_factors)),
               &space.factors),
        assign(ParseIntList("grid_epochs", absl::GetFlag(FLAGS_grid_epochs)),
               &space.epochs),
        assign(ParseFloatList("grid_regularization",
                              absl::GetFlag(FLAGS_grid_regularization)),
               &space.regularization),
        assign(ParseFloatList("grid_regularization_exponent",
                              absl::GetFlag(FLAGS_grid_regularization_exponent)),
               &space.regularization_exponent),
        assign(ParseFloatList("grid_alpha", absl::GetFlag(FLAGS_grid_alpha)),
               &space.alpha)}) {
    if (!s.ok()) return s;
  }
  return space;
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

// One trial: its metrics as "task/metric@k" and the objective.
absl::StatusOr<TrialResult> RunTrial(const EvalDataset& dataset,
                                     EvaluationOptions options,
                                     const IalsTrial& trial, double* objective) {
  options.trainer.ials = WithTrial(options.trainer.ials, trial);
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
  ASSIGN_OR_RETURN(IalsSearchSpace space, SpaceFromFlags());
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
    std::cerr << absl::StrFormat(
        "trial %d/%d: factors=%d epochs=%d regularization=%g "
        "regularization_exponent=%g alpha=%g -> ndcg@%d %.4f (%.1f s)\n",
        t + 1, trials.size(), trials[t].factors, trials[t].epochs,
        trials[t].regularization, trials[t].regularization_exponent,
        trials[t].alpha, options.k, objective, result.seconds);
    if (objective > best_objective) {
      best_objective = objective;
      best = t;
    }
    results.push_back(std::move(result));
  }
  const std::string table = TrialTableTsv(results);
  std::cout << table;
  const IalsTrial& b = trials[best];
  std::cerr << absl::StrFormat(
      "best: trial %d, ndcg@%d %.4f: --factors=%d --epochs=%d "
      "--regularization=%g --regularization_exponent=%g --alpha=%g\n",
      best + 1, options.k, best_objective, b.factors, b.epochs,
      b.regularization, b.regularization_exponent, b.alpha);
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
  auto parsed = recommender::ParseCommandLineWithConfigFile(argc, argv);
  if (!parsed.ok()) {
    std::cerr << "tune: " << parsed.status().message() << "\n";
    return 2;
  }
  const absl::Status status = recommender::Run();
  if (!status.ok()) {
    std::cerr << "tune: " << status.message() << "\n";
    return absl::IsInvalidArgument(status) ? 2 : 1;
  }
  return 0;
}
