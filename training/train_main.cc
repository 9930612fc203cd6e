// The offline trainer: shop files in, model snapshot out.
//
//   bazel run //training:train -- --data_dir=DIR --model_dir=MODELS
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "training/trainer.h"

ABSL_FLAG(std::string, data_dir, "",
          "Folder with catalog.csv, customers.csv and events.csv.");
ABSL_FLAG(std::string, model_dir, "",
          "Folder of model versions; the new one goes to model_dir/<version>.");
ABSL_FLAG(std::string, event_log_dir, "",
          "The server's --event_log_dir: events it recorded live are "
          "trained on too (optional).");
ABSL_FLAG(std::string, on_bad_row, "fail",
          "fail: stop at the first bad row; skip: skip and count bad rows.");
ABSL_FLAG(int32_t, factors, 64, "Embedding dimension.");
ABSL_FLAG(int32_t, epochs, 15, "iALS epochs.");
ABSL_FLAG(double, regularization, 0.1, "iALS L2 penalty (lambda).");
ABSL_FLAG(double, alpha, 1.0, "Confidence = 1 + alpha * event weight sum.");
ABSL_FLAG(double, view_weight, 1.0, "Weight of a view event.");
ABSL_FLAG(double, cart_weight, 4.0, "Weight of a cart event.");
ABSL_FLAG(double, purchase_weight, 10.0, "Weight of a purchase event.");
ABSL_FLAG(int32_t, threads, 2, "Training threads.");
ABSL_FLAG(uint64_t, seed, 42, "Random seed of the initial factors.");
ABSL_FLAG(std::string, index, "auto",
          "Item index: auto (exact up to --exact_max_items, HNSW above), "
          "exact, hnsw or ivf.");
ABSL_FLAG(int64_t, exact_max_items, 10000,
          "With --index=auto, catalogs up to this size are scanned exactly.");
ABSL_FLAG(int32_t, hnsw_m, 16, "HNSW graph neighbours per node.");
ABSL_FLAG(int32_t, hnsw_ef_construction, 80, "HNSW beam width when building.");
ABSL_FLAG(int32_t, hnsw_ef_search, 96, "HNSW beam width when searching.");
ABSL_FLAG(int32_t, ivf_nlist, 0, "IVF clusters; 0: 4 * sqrt(items).");
ABSL_FLAG(int32_t, ivf_nprobe, 24, "IVF clusters visited per query.");
ABSL_FLAG(int64_t, version, 0,
          "Model version to write; 0 derives it from the clock.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Trains an iALS model on a shop's exports and writes a model snapshot.");
  absl::ParseCommandLine(argc, argv);
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
  options.ials.factors = absl::GetFlag(FLAGS_factors);
  options.ials.epochs = absl::GetFlag(FLAGS_epochs);
  options.ials.regularization =
      static_cast<float>(absl::GetFlag(FLAGS_regularization));
  options.ials.alpha = static_cast<float>(absl::GetFlag(FLAGS_alpha));
  options.ials.threads = absl::GetFlag(FLAGS_threads);
  options.ials.seed = absl::GetFlag(FLAGS_seed);
  options.weights.view = static_cast<float>(absl::GetFlag(FLAGS_view_weight));
  options.weights.cart = static_cast<float>(absl::GetFlag(FLAGS_cart_weight));
  options.weights.purchase =
      static_cast<float>(absl::GetFlag(FLAGS_purchase_weight));
  options.version = absl::GetFlag(FLAGS_version);
  options.event_log_dir = absl::GetFlag(FLAGS_event_log_dir);
  absl::StatusOr<recommender::IndexKind> index_kind =
      recommender::ParseIndexKind(absl::GetFlag(FLAGS_index));
  if (!index_kind.ok()) {
    std::cerr << "train: --index: " << index_kind.status().message() << "\n";
    return 2;
  }
  options.index.kind = *index_kind;
  options.index.exact_max_items = absl::GetFlag(FLAGS_exact_max_items);
  options.index.hnsw.m = absl::GetFlag(FLAGS_hnsw_m);
  options.index.hnsw.ef_construction = absl::GetFlag(FLAGS_hnsw_ef_construction);
  options.index.hnsw.ef_search = absl::GetFlag(FLAGS_hnsw_ef_search);
  options.index.ivf.nlist = absl::GetFlag(FLAGS_ivf_nlist);
  options.index.ivf.nprobe = absl::GetFlag(FLAGS_ivf_nprobe);

  absl::StatusOr<recommender::TrainingResult> result =
      recommender::Train(options, std::cout);
  if (!result.ok()) {
    std::cerr << "train: " << result.status().message() << "\n";
    return 1;
  }
  return 0;
}
