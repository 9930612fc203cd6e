// The offline trainer: shop files in, model snapshot out.
//
//   bazel run //training:train -- --data_dir=DIR --model_dir=MODELS
//   bazel run //training:train -- --config=shop.conf --epochs=20
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "training/flag_config_file.h"
#include "training/progress_bar.h"
#include "training/trainer.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with catalog.csv, customers.csv and events.csv.");
ABSL_FLAG(std::string, model_dir, "",
          "Folder of model versions; the new one goes to model_dir/<version>.");
ABSL_FLAG(std::string, on_bad_row, "fail",
          "fail: stop at the first bad row; skip: skip and count bad rows.");
ABSL_FLAG(int32_t, factors, 64, "Embedding dimension.");
ABSL_FLAG(int32_t, epochs, 15, "iALS epochs.");
ABSL_FLAG(double, regularization, 0.1, "iALS L2 penalty (lambda).");
ABSL_FLAG(double, regularization_exponent, 0.0,
          "Scale lambda per customer/item by (total confidence)^this "
          "(Rendle et al. 2021); 0: constant lambda.");
ABSL_FLAG(double, alpha, 1.0, "Confidence = 1 + alpha * event strength.");
ABSL_FLAG(std::string, solver, "cg",
          "cg: a few conjugate-gradient steps per row (Takacs et al. 2011); "
          "cholesky: exact solve.");
ABSL_FLAG(int32_t, cg_steps, 3, "Conjugate-gradient steps per row.");
ABSL_FLAG(double, view_weight, 1.0, "Weight of a view event.");
ABSL_FLAG(double, cart_weight, 4.0, "Weight of a cart event.");
ABSL_FLAG(double, purchase_weight, 10.0, "Weight of a purchase event.");
ABSL_FLAG(double, recency_half_life_days, 0.0,
          "An event's weight halves every this many days before the newest "
          "event; 0: no decay.");
ABSL_FLAG(double, log_strength_epsilon, 0.0,
          "If > 0, strength = log(1 + summed weights / this).");
ABSL_FLAG(int32_t, threads, 2, "Training threads.");
ABSL_FLAG(uint64_t, seed, 42, "Random seed of the initial factors.");
ABSL_FLAG(int64_t, version, 0,
          "Model version to write; 0 derives it from the clock.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Trains an iALS model on a shop's exports and writes a model snapshot.");
  auto parsed = recommender::ParseCommandLineWithConfigFile(argc, argv);
  if (!parsed.ok()) {
    std::cerr << "train: --config: " << parsed.status().message() << "\n";
    return 2;
  }
  recommender::TrainerOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.model_dir = absl::GetFlag(FLAGS_model_dir);
  if (options.data_dir.empty() || options.model_dir.empty()) {
    std::cerr << "train: --data_dir and --model_dir are required\n";
    return 2;
  }
  const std::string on_bad_row = absl::GetFlag(FLAGS_on_bad_row);
  if (on_bad_row == "skip") {
    options.load.on_bad_row = recommender::BadRowPolicy::kSkip;
  } else if (on_bad_row != "fail") {
    std::cerr << "train: --on_bad_row must be fail or skip, got \""
              << on_bad_row << "\"\n";
    return 2;
  }
  absl::StatusOr<recommender::IalsSolver> solver =
      recommender::ParseIalsSolver(absl::GetFlag(FLAGS_solver));
  if (!solver.ok()) {
    std::cerr << "train: --" << solver.status().message() << "\n";
    return 2;
  }
  options.ials.factors = absl::GetFlag(FLAGS_factors);
  options.ials.epochs = absl::GetFlag(FLAGS_epochs);
  options.ials.regularization =
      static_cast<float>(absl::GetFlag(FLAGS_regularization));
  options.ials.regularization_exponent =
      static_cast<float>(absl::GetFlag(FLAGS_regularization_exponent));
  options.ials.alpha = static_cast<float>(absl::GetFlag(FLAGS_alpha));
  options.ials.solver = *solver;
  options.ials.cg_steps = absl::GetFlag(FLAGS_cg_steps);
  options.ials.threads = absl::GetFlag(FLAGS_threads);
  options.ials.seed = absl::GetFlag(FLAGS_seed);
  recommender::InteractionOptions& interactions = options.interactions;
  interactions.weights.view =
      static_cast<float>(absl::GetFlag(FLAGS_view_weight));
  interactions.weights.cart =
      static_cast<float>(absl::GetFlag(FLAGS_cart_weight));
  interactions.weights.purchase =
      static_cast<float>(absl::GetFlag(FLAGS_purchase_weight));
  interactions.recency_half_life_days =
      absl::GetFlag(FLAGS_recency_half_life_days);
  interactions.log_strength_epsilon = absl::GetFlag(FLAGS_log_strength_epsilon);
  options.version = absl::GetFlag(FLAGS_version);
  options.terminal_progress = recommender::IsTerminal(stdout);
  options.config_file = absl::GetFlag(FLAGS_config);

  absl::StatusOr<recommender::TrainingResult> result =
      recommender::Train(options, std::cout);
  if (!result.ok()) {
    std::cerr << "train: " << result.status().message() << "\n";
    return 1;
  }
  return 0;
}
