// The evaluation tool: trains every model on the same split of a dataset and
// prints their top-k metrics as one JSON document on stdout and a table on
// stderr (docs/evaluation.md).
//
//   bazel run //training/evaluation:evaluate -- --dataset=movielens:$PWD/../shared/data/ml-100k
//       --split=random-75-25 --k=10 --seed=1
//   bazel run //training/evaluation:evaluate -- --dataset=shop:/tmp/shop
//       --split=time:2026-09-01 --k=10 --report=/tmp/report
//
// The default model is trained with the trainer's own flags (--factors,
// --epochs, --config=FILE, --tune, ...), so a setting evaluated is spelled
// exactly as the setting trained: by default it tunes itself on the
// training part as the trainer does. With --tune=off on MovieLens and no
// --config it is the project's hand-tuned MovieLens setting,
// training/configs/movielens.conf.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/progress_bar.h"
#include "training/evaluation/dataset_input.h"
#include "training/evaluation/evaluation_output.h"
#include "training/evaluation/evaluation_run.h"
#include "training/evaluation/html_report.h"
#include "training/internal/json_output.h"
#include "training/trainer/command_line.h"
#include "training/trainer/trainer_flags.h"
#include "training/tuning/self_tuning/tuning_flags.h"

// Defined by //training/trainer:trainer_flags; here --seed also seeds the split.
ABSL_DECLARE_FLAG(uint64_t, seed);
ABSL_DECLARE_FLAG(int32_t, threads);

ABSL_FLAG(std::string, dataset, "",
          "shop:DIR (catalog.csv, customers.csv, events.csv) or movielens:DIR "
          "(RecBole's ml-100k.inter, .item, .user).");
ABSL_FLAG(std::string, split, "",
          "time:YYYY-MM-DD (global cutoff, midnight in the shop's zone), "
          "last-days:N (per customer) or random-75-25 (per customer, seeded "
          "by --seed).");
ABSL_FLAG(int32_t, k, 10, "List length of the headline metrics (1..100).");
ABSL_FLAG(std::string, report_ks, "1,3,5,10,20,50",
          "Comma-separated list lengths plotted in the --report.");
ABSL_FLAG(int32_t, test_days, 0,
          "Time split: only purchases in this many days after the cutoff are "
          "the test; 0: all of them.");
ABSL_FLAG(std::string, models, "",
          "Comma-separated models to run (popularity, rebuy, rebuy_popular, "
          "ials, itemknn, ease, default); empty: all (the re-buy baselines "
          "only on shop data).");
ABSL_FLAG(double, repurchase_suppress_before_fraction, -1,
          "What-if for the default model's repurchase stage: leave out a "
          "consumable bought less than this fraction of its interval ago; "
          "negative: the model's own (tuned, or the server's default). Any "
          "of these what-if flags replaces the whole stage's settings.");
ABSL_FLAG(double, repurchase_boost_window_days, -1,
          "What-if: boost consumables by P(bought within this many days); "
          "negative: the server's default.");
ABSL_FLAG(double, repurchase_boost_weight, -1,
          "What-if: weight of that boost (in units of the top taste score); "
          "negative: the server's default.");
ABSL_FLAG(double, repurchase_due_soon_days, -1,
          "What-if: a consumable whose typical interval ends within this many "
          "days counts as due soon (boosted); negative: the server's default.");
ABSL_FLAG(std::string, repurchase_boost_not_yet_due, "",
          "What-if: true/false to boost (or not) consumables not yet due by "
          "their chance of being bought within the window; empty: the "
          "server's default.");
ABSL_FLAG(std::string, baseline_input, "events",
          "What the ials, itemknn and ease baselines learn from: events "
          "(every view, cart and purchase counts 1, no decay: the same data "
          "as the default model without its per-type confidence and "
          "recency), purchases (each purchase counts 1) or trainer (the "
          "trainer's weights and decay, as the default model).");
ABSL_FLAG(std::string, report, "",
          "If set, writes DIR/index.html: a self-contained report with "
          "plots of the metrics against k and against training epochs.");

namespace {

absl::StatusOr<std::vector<int>> ParseKs(const std::string& text) {
  std::vector<int> ks;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int k = 0;
    if (!absl::SimpleAtoi(part, &k)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--report_ks: not a number: \"", part, "\""));
    }
    ks.push_back(k);
  }
  return ks;
}

// The project's tuned setting for MovieLens (docs/evaluation.md, "Tuning"),
// a runfile of this binary.
constexpr char kMovieLensConfig[] = "training/configs/movielens.conf";

// With --dataset=movielens:..., --tune=off and neither --config nor
// --flagfile, the default model is the project's hand-tuned setting for
// MovieLens: argv gains --config=<its setting> (flags on the command line
// still win). Returns argv unchanged otherwise (the self-tuning chooses the
// settings).
std::vector<char*> WithDatasetConfig(int argc, char** argv,
                                     std::string* config_flag) {
  std::vector<char*> args(argv, argv + argc);
  bool movielens = false;
  bool untuned = false;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::StartsWith(arg, "config") || absl::StartsWith(arg, "flagfile")) {
      return args;
    }
    untuned |= arg == "tune=off" ||
               (arg == "tune" && i + 1 < argc &&
                absl::string_view(argv[i + 1]) == "off");
    movielens |= absl::StartsWith(arg, "dataset=movielens:") ||
                 (arg == "dataset" && i + 1 < argc &&
                  absl::StartsWith(argv[i + 1], "movielens:"));
  }
  if (!movielens || !untuned) return args;
  // `bazel run` starts in the runfiles tree; a direct run finds it beside
  // the binary.
  for (const std::string& path :
       {std::string(kMovieLensConfig),
        absl::StrCat(argv[0], ".runfiles/recommender/", kMovieLensConfig)}) {
    if (std::ifstream(path).good()) {
      *config_flag = absl::StrCat("--config=", path);
      args.insert(args.begin() + 1, config_flag->data());
      std::cerr << "evaluate: default model with the project's MovieLens "
                   "setting "
                << kMovieLensConfig << " (--config=FILE chooses another)\n";
      return args;
    }
  }
  return args;
}

int Fail(const absl::Status& status, int code) {
  std::cerr << "evaluate: " << status.message() << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Evaluates the default model against baselines on one split; JSON on "
      "stdout, a table on stderr. --seed seeds the split and the models; "
      "--config=FILE reads flags from FILE, one --name=value per line "
      "(Abseil's --flagfile).");
  std::string config_flag;
  std::vector<char*> args = WithDatasetConfig(argc, argv, &config_flag);
  recommender::ParseTrainingCommandLine(static_cast<int>(args.size()),
                                        args.data());
  absl::StatusOr<recommender::TrainerOptions> trainer =
      recommender::TrainerOptionsFromFlags();
  if (!trainer.ok()) return Fail(trainer.status(), 2);
  absl::StatusOr<recommender::SplitSpec> split =
      recommender::ParseSplitSpec(absl::GetFlag(FLAGS_split));
  if (!split.ok()) return Fail(split.status(), 2);
  absl::StatusOr<std::vector<int>> report_ks = ParseKs(absl::GetFlag(FLAGS_report_ks));
  if (!report_ks.ok()) return Fail(report_ks.status(), 2);

  recommender::EvaluationOptions options;
  options.split = *split;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.k = absl::GetFlag(FLAGS_k);
  options.report_ks = *report_ks;
  options.test_days = absl::GetFlag(FLAGS_test_days);
  options.trainer = *trainer;
  options.trainer.terminal_progress = recommender::IsTerminal(stderr);
  absl::StatusOr<recommender::SelfTuningOptions> tuning =
      recommender::SelfTuningOptionsFromFlags();
  if (!tuning.ok()) return Fail(tuning.status(), 2);
  options.tuning = *tuning;
  options.tuning.terminal_progress = options.trainer.terminal_progress;
  options.threads = absl::GetFlag(FLAGS_threads);
  recommender::RepurchaseRankingOptions repurchase;
  bool what_if = false;
  for (auto [flag, field] :
       {std::pair{&FLAGS_repurchase_suppress_before_fraction,
                  &repurchase.suppress_before_fraction},
        std::pair{&FLAGS_repurchase_boost_window_days,
                  &repurchase.boost_window_days},
        std::pair{&FLAGS_repurchase_boost_weight, &repurchase.boost_weight},
        std::pair{&FLAGS_repurchase_due_soon_days,
                  &repurchase.status.due_soon_days}}) {
    if (absl::GetFlag(*flag) >= 0) {
      *field = absl::GetFlag(*flag);
      what_if = true;
    }
  }
  const std::string not_yet_due = absl::GetFlag(FLAGS_repurchase_boost_not_yet_due);
  if (!not_yet_due.empty()) {
    if (!absl::SimpleAtob(not_yet_due, &repurchase.boost_not_yet_due)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
                      "--repurchase_boost_not_yet_due: not a boolean: \"",
                      not_yet_due, "\"")),
                  2);
    }
    what_if = true;
  }
  if (what_if) options.repurchase = repurchase;
  const std::string baseline_input = absl::GetFlag(FLAGS_baseline_input);
  if (baseline_input == "events") {
    options.baseline_interactions = recommender::EventCounts();
  } else if (baseline_input == "purchases") {
    options.baseline_interactions = recommender::PurchaseCounts();
  } else if (baseline_input == "trainer") {
    options.baseline_interactions = options.trainer.interactions;
  } else {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
                    "--baseline_input: must be events, purchases or trainer, got \"",
                    baseline_input, "\"")),
                2);
  }
  const std::string report_dir = absl::GetFlag(FLAGS_report);
  options.epoch_curves = !report_dir.empty();
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_models), ',', absl::SkipEmpty())) {
    options.models.emplace_back(name);
  }

  absl::StatusOr<recommender::EvalDataset> dataset =
      recommender::LoadEvalDataset(absl::GetFlag(FLAGS_dataset));
  if (!dataset.ok()) return Fail(dataset.status(), 1);
  absl::StatusOr<recommender::Evaluation> evaluation =
      recommender::RunEvaluation(*dataset, options, std::cerr);
  if (!evaluation.ok()) {
    return Fail(evaluation.status(),
                absl::IsInvalidArgument(evaluation.status()) ? 2 : 1);
  }
  std::cerr << recommender::EvaluationTable(*evaluation);
  std::cout << recommender::PrintJson(recommender::EvaluationToJson(*evaluation))
            << std::flush;
  if (!report_dir.empty()) {
    absl::StatusOr<std::string> path =
        recommender::WriteHtmlReport(*evaluation, report_dir);
    if (!path.ok()) return Fail(path.status(), 1);
    std::cerr << "report: " << *path << "\n";
  }
  return 0;
}
