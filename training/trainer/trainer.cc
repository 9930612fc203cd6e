#include "training/trainer/trainer.h"

#include <algorithm>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/util/file_util.h"
#include "recommender/util/peak_memory.h"
#include "recommender/util/status_macros.h"
#include "training/trainer/erased_rows.h"
#include "training/trainer/logged_events.h"
#include "tools/progress_bar.h"
#include "training/trainer/snapshot_builder.h"

namespace recommender {
namespace {

absl::StatusOr<int64_t> ChooseVersion(const TrainerOptions& options,
                                      absl::Time now) {
  if (options.version > 0) return options.version;
  int64_t version = 0;
  const std::string stamp =
      absl::FormatTime("%Y%m%d%H%M%S", now, absl::UTCTimeZone());
  for (char c : stamp) version = version * 10 + (c - '0');
  if (PathExists(options.model_dir)) {
    ASSIGN_OR_RETURN(std::vector<int64_t> existing,
                     ListSnapshotVersions(options.model_dir));
    if (!existing.empty() && existing.back() >= version) {
      version = existing.back() + 1;
    }
  }
  return version;
}

std::map<std::string, std::string> Parameters(const TrainerOptions& options) {
  const IalsOptions& ials = options.ials;
  const InteractionOptions& interactions = options.interactions;
  std::map<std::string, std::string> parameters = {
      {"data_dir", options.data_dir},
      {"event_log_dir", options.event_log_dir},
      {"utc_offset_seconds", absl::StrCat(options.timing.utc_offset_seconds)},
      {"timing_fit_max_customers",
       absl::StrCat(options.timing.fit_max_customers)},
      {"on_bad_row",
       options.load.on_bad_row == BadRowPolicy::kSkip ? "skip" : "fail"},
      {"factors", absl::StrCat(ials.factors)},
      {"epochs", absl::StrCat(ials.epochs)},
      {"regularization", absl::StrCat(ials.regularization)},
      {"regularization_exponent", absl::StrCat(ials.regularization_exponent)},
      {"alpha", absl::StrCat(ials.alpha)},
      {"solver", std::string(IalsSolverName(ials.solver))},
      {"cg_steps", absl::StrCat(ials.cg_steps)},
      {"init_stddev", absl::StrCat(ials.init_stddev)},
      {"threads", absl::StrCat(ials.threads)},
      {"seed", absl::StrCat(ials.seed)},
      {"view_weight", absl::StrCat(interactions.weights.view)},
      {"cart_weight", absl::StrCat(interactions.weights.cart)},
      {"purchase_weight", absl::StrCat(interactions.weights.purchase)},
      {"recency_half_life_days",
       absl::StrCat(interactions.recency_half_life_days)},
      {"log_strength_epsilon", absl::StrCat(interactions.log_strength_epsilon)},
      {"popularity_window_days", absl::StrCat(options.popularity_window_days)},
      {"durability_min_observation_days",
       absl::StrCat(options.durability.min_observation_days)},
      {"durability_default_repeat_share_threshold",
       absl::StrCat(options.durability.default_repeat_share_threshold)},
      {"durability_min_labeled_items",
       absl::StrCat(options.durability.min_labeled_items)},
  };
  if (!options.config_file.empty()) {
    parameters["config_file"] = options.config_file;
  }
  const ItemSimilarityOptions& similarities = options.similarities;
  if (similarities.item_knn) {
    parameters["item_knn_neighbors"] = absl::StrCat(similarities.knn.neighbors);
    parameters["item_knn_shrinkage"] = absl::StrCat(similarities.knn.shrinkage);
  }
  if (similarities.ease) {
    parameters["ease_l2"] = absl::StrCat(similarities.ease_model.l2);
    parameters["ease_max_items"] = absl::StrCat(similarities.ease_model.max_items);
    parameters["ease_neighbors"] = absl::StrCat(similarities.ease_neighbors);
  }
  return parameters;
}

int64_t NewestEventTime(const ShopData& data) {
  int64_t newest = 0;
  for (const Event& e : data.events) newest = std::max(newest, e.unix_seconds);
  return newest;
}

}  // namespace

absl::StatusOr<SnapshotContents> TrainSnapshotContents(
    const ShopData& data, const TrainerOptions& options, int64_t version,
    std::ostream& log, const IalsEpochCallback& on_epoch) {
  const InteractionMatrix matrix = InteractionMatrix::FromEvents(
      static_cast<int32_t>(data.customers.size()),
      static_cast<int32_t>(data.items.size()), data.events,
      options.interactions, NewestEventTime(data));
  if (matrix.num_nonzeros() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.data_dir, ": no events to learn from"));
  }
  log << absl::StrFormat(
      "training iALS: %d customers x %d items, %d non-zeros, %d factors, "
      "%d epochs, %s solver, %d threads\n",
      matrix.num_rows(), matrix.num_columns(), matrix.num_nonzeros(),
      options.ials.factors, options.ials.epochs,
      IalsSolverName(options.ials.solver), options.ials.threads);
  const absl::Time train_start = absl::Now();
  ProgressBar progress(log, "epoch", options.ials.epochs,
                       options.terminal_progress, train_start);
  ASSIGN_OR_RETURN(
      IalsModel model,
      TrainIals(matrix, options.ials,
                [&](int epoch, double loss, const IalsModel& so_far) {
                  progress.Update(epoch, absl::StrFormat("loss %.2f", loss));
                  if (on_epoch) on_epoch(epoch, loss, so_far);
                }));

  if (!options.extra_ials_blocks.empty()) {
    std::vector<IalsModel> members;
    members.push_back(std::move(model));
    for (const IalsOptions& block : options.extra_ials_blocks) {
      log << absl::StrFormat(
          "training iALS block %d: %d factors, regularization %g, alpha %g\n",
          members.size() + 1, block.factors, block.regularization, block.alpha);
      ASSIGN_OR_RETURN(IalsModel member, TrainIals(matrix, block));
      members.push_back(std::move(member));
    }
    IalsModel joined = ConcatenateIalsModels(members);
    joined.epoch_losses = std::move(members[0].epoch_losses);
    model = std::move(joined);
  }

  SnapshotMetadata metadata;
  metadata.trained_at = absl::Now();
  metadata.version = version;
  metadata.parameters = Parameters(options);
  metadata.popularity_window_days = options.popularity_window_days;
  metadata.index = options.index;
  metadata.durability = options.durability;
  metadata.factor_blocks = {options.ials};
  metadata.factor_blocks.insert(metadata.factor_blocks.end(),
                                options.extra_ials_blocks.begin(),
                                options.extra_ials_blocks.end());
  metadata.factor_block_requests = options.block_requests;
  for (size_t e = 0; e < model.epoch_losses.size(); ++e) {
    metadata.metrics[absl::StrFormat("loss_epoch_%02d", e + 1)] =
        model.epoch_losses[e];
  }
  metadata.metrics["train_seconds"] =
      absl::ToDoubleSeconds(metadata.trained_at - train_start);
  ASSIGN_OR_RETURN(SnapshotContents contents,
                   BuildSnapshotContents(data, matrix, model, metadata));
  contents.timing = BuildTimingModel(contents, options.timing, log,
                                     contents.manifest.mutable_metrics());
  if (options.similarities.item_knn || options.similarities.ease) {
    const absl::Time start = absl::Now();
    ItemSimilarityOptions similarities = options.similarities;
    similarities.threads = options.ials.threads;
    ASSIGN_OR_RETURN(contents.similarities,
                     BuildItemSimilarities(data, similarities));
    (*contents.manifest.mutable_metrics())["item_similarity_seconds"] =
        absl::ToDoubleSeconds(absl::Now() - start);
  }
  return contents;
}

absl::StatusOr<TrainingResult> Train(const TrainerOptions& options,
                                     std::ostream& log,
                                     const SnapshotContentsBuilder& build) {
  const absl::Time start = absl::Now();
  TrainingResult result;
  ASSIGN_OR_RETURN(ShopData data, LoadShopData(options.data_dir, options.load));
  uint64_t event_log_sequence = 0;
  if (!options.event_log_dir.empty()) {
    ASSIGN_OR_RETURN(LoggedEventsResult logged,
                     AddLoggedEvents(options.event_log_dir,
                                     options.load.max_sample_errors, &data));
    event_log_sequence = logged.last_sequence;
    const ErasedRows erased = DropErasedCustomers(logged.erased_keys, &data);
    if (!logged.erased_keys.empty()) {
      log << absl::StrFormat(
          "erased customers: %d tombstones in the event log, %d customers "
          "and %d events dropped\n",
          logged.erased_keys.size(), erased.customers, erased.events);
    }
  }
  for (const FileLoadReport& report : data.reports) {
    log << absl::StrFormat("%s: %d rows loaded, %d skipped\n", report.path,
                           report.rows_loaded, report.rows_skipped);
    for (const std::string& error : report.sample_errors) {
      log << "  skipped: " << error << "\n";
    }
  }
  ASSIGN_OR_RETURN(result.version, ChooseVersion(options, start));
  const IalsEpochCallback on_epoch = [&](int, double loss, const IalsModel&) {
    result.epoch_losses.push_back(loss);
  };
  ASSIGN_OR_RETURN(
      SnapshotContents contents,
      build ? build(data, options, result.version, log, on_epoch)
            : TrainSnapshotContents(data, options, result.version, log, on_epoch));
  contents.manifest.set_event_log_sequence(event_log_sequence);
  result.peak_memory_bytes = PeakMemoryBytes();
  (*contents.manifest.mutable_metrics())["peak_memory_bytes"] =
      static_cast<double>(result.peak_memory_bytes);
  const snapshot::IndexReport& index = contents.manifest.index();
  log << absl::StrFormat(
      "item index: %s (%s requested), built in %.1f s, recall@10 %.4f over "
      "%d customers\n",
      contents.index->type(), index.requested(), index.build_seconds(),
      index.recall_at_10(), index.recall_queries());
  ASSIGN_OR_RETURN(result.snapshot_dir,
                   WriteSnapshot(contents, options.model_dir));
  result.reports = std::move(data.reports);
  result.wall_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  log << absl::StrFormat(
      "wrote model version %d to %s\nwall time %s, peak memory %s\n",
      result.version, result.snapshot_dir, FormatSeconds(result.wall_seconds),
      FormatBytes(PeakMemoryBytes()));
  return result;
}

}  // namespace recommender
