#include "training/trainer/trainer_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "training/trainer/command_line.h"

ABSL_FLAG(std::string, on_bad_row, "fail",
          "fail: stop at the first bad row; skip: skip and count bad rows.");
ABSL_FLAG(int32_t, factors, 128, "Embedding dimension.");
ABSL_FLAG(int32_t, epochs, 15, "iALS epochs.");
ABSL_FLAG(double, regularization, 15,
          "iALS L2 penalty (lambda); tuned, see docs/evaluation.md#tuning.");
ABSL_FLAG(double, regularization_exponent, 0.0,
          "Scale lambda per customer/item by (total confidence)^this "
          "(Rendle et al. 2021); 0: constant lambda.");
ABSL_FLAG(double, alpha, 2.0,
          "Confidence = 1 + alpha * event strength (MovieLens: see "
          "docs/evaluation.md#tuning).");
ABSL_FLAG(std::string, solver, "cg",
          "cg: a few conjugate-gradient steps per row (Takacs et al. 2011); "
          "cholesky: exact solve.");
ABSL_FLAG(int32_t, cg_steps, 3, "Conjugate-gradient steps per row.");
ABSL_FLAG(double, view_weight, 1.0, "Weight of a view event.");
ABSL_FLAG(double, cart_weight, 4.0, "Weight of a cart event.");
ABSL_FLAG(double, purchase_weight, 10.0, "Weight of a purchase event.");
ABSL_FLAG(double, recency_half_life_days, 30.0,
          "An event's weight halves every this many days before the newest "
          "event; 0: no decay.");
ABSL_FLAG(double, log_strength_epsilon, 0.0,
          "If > 0, strength = log(1 + summed weights / this).");
ABSL_FLAG(int32_t, threads, 2, "Training threads.");
ABSL_FLAG(int64_t, timing_fit_max_customers, 100000,
          "The customer-level timing models (BG/NBD, Pareto/NBD, "
          "Gamma-Gamma) are fitted on a seeded sample of at most this many "
          "customers; 0: all.");
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
ABSL_FLAG(double, index_recall_target, 0.97,
          "HNSW and IVF: search with the smallest beam width / nprobe whose "
          "recall@10 against exact search on the customers reaches this "
          "(recorded in the manifest); 0 uses --hnsw_ef_search and "
          "--ivf_nprobe as given.");
ABSL_FLAG(double, utc_offset_hours, 9,
          "The shop's time zone: purchases on one calendar day there are one "
          "order for the customer-lifetime models, and due dates are days "
          "there.");

namespace recommender {

absl::StatusOr<TrainerOptions> TrainerOptionsFromFlags() {
  TrainerOptions options;
  const std::string on_bad_row = absl::GetFlag(FLAGS_on_bad_row);
  if (on_bad_row == "skip") {
    options.load.on_bad_row = BadRowPolicy::kSkip;
  } else if (on_bad_row != "fail") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--on_bad_row: must be fail or skip, got \"", on_bad_row, "\""));
  }
  absl::StatusOr<IalsSolver> solver =
      ParseIalsSolver(absl::GetFlag(FLAGS_solver));
  if (!solver.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", solver.status().message()));
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
  InteractionOptions& interactions = options.interactions;
  interactions.weights.view =
      static_cast<float>(absl::GetFlag(FLAGS_view_weight));
  interactions.weights.cart =
      static_cast<float>(absl::GetFlag(FLAGS_cart_weight));
  interactions.weights.purchase =
      static_cast<float>(absl::GetFlag(FLAGS_purchase_weight));
  interactions.recency_half_life_days =
      absl::GetFlag(FLAGS_recency_half_life_days);
  interactions.log_strength_epsilon = absl::GetFlag(FLAGS_log_strength_epsilon);
  options.config_file = FlagFilesRead();
  absl::StatusOr<IndexKind> index_kind =
      ParseIndexKind(absl::GetFlag(FLAGS_index));
  if (!index_kind.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--index: ", index_kind.status().message()));
  }
  options.index.kind = *index_kind;
  options.index.exact_max_items = absl::GetFlag(FLAGS_exact_max_items);
  options.index.hnsw.m = absl::GetFlag(FLAGS_hnsw_m);
  options.index.hnsw.ef_construction = absl::GetFlag(FLAGS_hnsw_ef_construction);
  options.index.hnsw.ef_search = absl::GetFlag(FLAGS_hnsw_ef_search);
  options.index.ivf.nlist = absl::GetFlag(FLAGS_ivf_nlist);
  options.index.ivf.nprobe = absl::GetFlag(FLAGS_ivf_nprobe);
  options.index.recall_target = absl::GetFlag(FLAGS_index_recall_target);
  if (!(options.index.recall_target >= 0 && options.index.recall_target <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--index_recall_target: must be in [0, 1], got ",
                     options.index.recall_target));
  }
  options.timing.utc_offset_seconds =
      static_cast<int32_t>(absl::GetFlag(FLAGS_utc_offset_hours) * 3600);
  options.timing.fit_max_customers =
      absl::GetFlag(FLAGS_timing_fit_max_customers);
  if (options.timing.fit_max_customers < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timing_fit_max_customers: must be >= 0, got ",
                     options.timing.fit_max_customers));
  }
  options.timing.seed = absl::GetFlag(FLAGS_seed);
  options.timing.threads = absl::GetFlag(FLAGS_threads);

  if (absl::Status valid = ValidateIalsOptions(options.ials); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", valid.message()));
  }
  return options;
}

}  // namespace recommender
