#include "training/trainer.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "training/logged_events.h"
#include "training/snapshot_builder.h"

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
  return {
      {"data_dir", options.data_dir},
      {"event_log_dir", options.event_log_dir},
      {"on_bad_row",
       options.load.on_bad_row == BadRowPolicy::kSkip ? "skip" : "fail"},
      {"factors", absl::StrCat(ials.factors)},
      {"epochs", absl::StrCat(ials.epochs)},
      {"regularization", absl::StrCat(ials.regularization)},
      {"alpha", absl::StrCat(ials.alpha)},
      {"init_stddev", absl::StrCat(ials.init_stddev)},
      {"threads", absl::StrCat(ials.threads)},
      {"seed", absl::StrCat(ials.seed)},
      {"view_weight", absl::StrCat(options.weights.view)},
      {"cart_weight", absl::StrCat(options.weights.cart)},
      {"purchase_weight", absl::StrCat(options.weights.purchase)},
      {"popularity_window_days", absl::StrCat(options.popularity_window_days)},
  };
}

}  // namespace

absl::StatusOr<TrainingResult> Train(const TrainerOptions& options,
                                     std::ostream& log) {
  const absl::Time start = absl::Now();
  TrainingResult result;
  ASSIGN_OR_RETURN(ShopData data, LoadShopData(options.data_dir, options.load));
  uint64_t event_log_sequence = 0;
  if (!options.event_log_dir.empty()) {
    ASSIGN_OR_RETURN(LoggedEventsResult logged,
                     AddLoggedEvents(options.event_log_dir,
                                     options.load.max_sample_errors, &data));
    event_log_sequence = logged.last_sequence;
  }
  for (const FileLoadReport& report : data.reports) {
    log << absl::StrFormat("%s: %d rows loaded, %d skipped\n", report.path,
                           report.rows_loaded, report.rows_skipped);
    for (const std::string& error : report.sample_errors) {
      log << "  skipped: " << error << "\n";
    }
  }
  const InteractionMatrix matrix = InteractionMatrix::FromEvents(
      static_cast<int32_t>(data.customers.size()),
      static_cast<int32_t>(data.items.size()), data.events, options.weights);
  if (matrix.num_nonzeros() == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.data_dir, ": no events to learn from"));
  }
  log << absl::StrFormat(
      "training iALS: %d customers x %d items, %d non-zeros, %d factors, "
      "%d epochs, %d threads\n",
      matrix.num_rows(), matrix.num_columns(), matrix.num_nonzeros(),
      options.ials.factors, options.ials.epochs, options.ials.threads);
  const absl::Time train_start = absl::Now();
  absl::Time epoch_start = train_start;
  ASSIGN_OR_RETURN(
      IalsModel model,
      TrainIals(matrix, options.ials, [&](int epoch, double loss) {
        const absl::Time now = absl::Now();
        log << absl::StrFormat("epoch %d/%d: loss %.2f (%.2f s)\n", epoch,
                               options.ials.epochs, loss,
                               absl::ToDoubleSeconds(now - epoch_start));
        epoch_start = now;
      }));

  SnapshotMetadata metadata;
  metadata.trained_at = absl::Now();
  ASSIGN_OR_RETURN(metadata.version, ChooseVersion(options, metadata.trained_at));
  metadata.parameters = Parameters(options);
  metadata.popularity_window_days = options.popularity_window_days;
  metadata.event_log_sequence = event_log_sequence;
  metadata.index = options.index;
  for (size_t e = 0; e < model.epoch_losses.size(); ++e) {
    metadata.metrics[absl::StrFormat("loss_epoch_%02d", e + 1)] =
        model.epoch_losses[e];
  }
  metadata.metrics["train_seconds"] =
      absl::ToDoubleSeconds(metadata.trained_at - train_start);
  ASSIGN_OR_RETURN(SnapshotContents contents,
                   BuildSnapshotContents(data, matrix, model, metadata));
  const snapshot::IndexReport& index = contents.manifest.index();
  log << absl::StrFormat(
      "item index: %s (%s requested), built in %.1f s, recall@10 %.4f over "
      "%d customers\n",
      contents.index->type(), index.requested(), index.build_seconds(),
      index.recall_at_10(), index.recall_queries());
  ASSIGN_OR_RETURN(result.snapshot_dir,
                   WriteSnapshot(contents, options.model_dir));
  result.version = metadata.version;
  result.reports = std::move(data.reports);
  result.epoch_losses = std::move(model.epoch_losses);
  result.wall_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  log << absl::StrFormat("wrote model version %d to %s in %.1f s\n",
                         result.version, result.snapshot_dir,
                         result.wall_seconds);
  return result;
}

}  // namespace recommender
