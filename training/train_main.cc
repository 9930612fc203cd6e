// The offline trainer: shop files in, model snapshot out.
//
//   bazel run //training:train -- --data_dir=DIR --model_dir=MODELS
//   bazel run //training:train -- --config=shop.conf --epochs=20
#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "tools/progress_bar.h"
#include "training/trainer/command_line.h"
#include "training/trainer/trainer.h"
#include "training/trainer/trainer_flags.h"
#include "training/tuning/self_tuning/self_tuning.h"
#include "training/tuning/self_tuning/tuning_flags.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with catalog.csv, customers.csv and events.csv.");
ABSL_FLAG(std::string, model_dir, "",
          "Folder of model versions; the new one goes to model_dir/<version>.");
ABSL_FLAG(std::string, event_log_dir, "",
          "The server's --event_log_dir: events it recorded live are "
          "trained on too (optional).");
ABSL_FLAG(int64_t, version, 0,
          "Model version to write; 0 derives it from the clock.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Trains an iALS model on a shop's exports (by default choosing its "
      "settings and a learned ranker on the shop's own recent history) and "
      "writes a model snapshot. "
      "--config=FILE reads flags from FILE, one --name=value per line "
      "(Abseil's --flagfile); flags on the command line win.");
  recommender::ParseTrainingCommandLine(argc, argv);
  absl::StatusOr<recommender::TrainerOptions> options =
      recommender::TrainerOptionsFromFlags();
  if (!options.ok()) {
    std::cerr << "train: " << options.status().message() << "\n";
    return 2;
  }
  options->data_dir = absl::GetFlag(FLAGS_data_dir);
  options->model_dir = absl::GetFlag(FLAGS_model_dir);
  options->version = absl::GetFlag(FLAGS_version);
  options->event_log_dir = absl::GetFlag(FLAGS_event_log_dir);
  if (options->data_dir.empty() || options->model_dir.empty()) {
    std::cerr << "train: --data_dir and --model_dir are required\n";
    return 2;
  }
  options->terminal_progress = recommender::IsTerminal(stdout);
  absl::StatusOr<recommender::SelfTuningOptions> tuning =
      recommender::SelfTuningOptionsFromFlags();
  if (!tuning.ok()) {
    std::cerr << "train: " << tuning.status().message() << "\n";
    return 2;
  }
  tuning->terminal_progress = options->terminal_progress;
  absl::StatusOr<recommender::TrainingResult> result = recommender::Train(
      *options, std::cout,
      [&](const recommender::ShopData& data,
          const recommender::TrainerOptions& trainer, int64_t version,
          std::ostream& log, const recommender::IalsEpochCallback& on_epoch) {
        return recommender::TrainTunedSnapshotContents(data, trainer, *tuning,
                                                       version, log, on_epoch);
      });
  if (!result.ok()) {
    std::cerr << "train: " << result.status().message() << "\n";
    return 1;
  }
  return 0;
}
