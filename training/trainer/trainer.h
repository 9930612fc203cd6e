// The trainer's whole job in one call: load and validate the shop's files,
// learn iALS factors, and write a versioned model snapshot.
//
// Thread-safe: no shared state (uses `options.ials.threads` threads).
#ifndef TRAINING_TRAINER_TRAINER_H_
#define TRAINING_TRAINER_TRAINER_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/model/snapshot_contents.h"
#include "training/durability/durability_inference.h"
#include "training/ials/ials.h"
#include "training/ials/interaction_matrix.h"
#include "training/timing/timing_model_builder.h"
#include "training/trainer/item_similarity_builder.h"

namespace recommender {

// The trainer's default interaction options: InteractionOptions' event
// weights with a 30-day recency half-life (tuned with //training/tuning:tune
// on the sample shop, docs/evaluation.md "Tuning").
inline InteractionOptions DefaultTrainerInteractions() {
  InteractionOptions options;
  options.recency_half_life_days = 30;
  return options;
}

struct TrainerOptions {
  // Holds catalog.csv, customers.csv and events.csv.
  std::string data_dir;
  // Snapshots are written to model_dir/<version>/.
  std::string model_dir;
  // If set, the server's event log (its --event_log_dir) is read as well.
  std::string event_log_dir;
  LoadOptions load;
  // Event weights, recency decay and strength scaling.
  InteractionOptions interactions = DefaultTrainerInteractions();
  IalsOptions ials;
  // Further iALS settings trained on the same interactions: the snapshot's
  // factor vectors hold one block per setting side by side, `ials` first,
  // so that a customer's score for an item is the sum of the members'
  // (chosen by the self-tuning when several settings are equally good on
  // validation). Empty: `ials` alone.
  std::vector<IalsOptions> extra_ials_blocks;
  // Per block (`ials`, then extra_ials_blocks), which Recommend requests
  // score with it (the self-tuning may give requests with exclude_purchased
  // a block of their own); empty: every request scores with every block.
  std::vector<snapshot::ServedRequests> block_requests;
  // The item index: by default exact for small catalogs, HNSW above.
  IndexOptions index;
  // 0: derive from the clock as YYYYMMDDhhmmss (UTC), bumped past any
  // version already in model_dir.
  int64_t version = 0;
  int32_t popularity_window_days = 30;
  // True when `log` is a terminal: one progress line with an ETA is redrawn
  // in place; otherwise each epoch gets a plain line.
  bool terminal_progress = false;
  // Recorded in the manifest's parameters when not empty (e.g. the path of
  // the config file the options came from).
  std::string config_file;
  // Purchase-timing models (next-purchase dates, customer lifetime).
  TimingModelOptions timing;
  // Durability of items the catalog leaves unlabeled.
  DurabilityInferenceOptions durability;
  // Item-to-item candidate sources for a learned ranker (none by default).
  ItemSimilarityOptions similarities;
};

struct TrainingResult {
  int64_t version = 0;
  std::string snapshot_dir;
  std::vector<FileLoadReport> reports;
  std::vector<double> epoch_losses;
  double wall_seconds = 0;
  // Peak resident memory of the process so far.
  int64_t peak_memory_bytes = 0;
};

// The in-memory half of Train: learns the factors on `data` and assembles
// the snapshot with version `version`, without writing it. The evaluation
// tool calls this on its training split, so that what is evaluated is
// exactly what the trainer produces and the server serves. `on_epoch`, if
// set, also sees every epoch's model. Progress goes to `log` as in Train.
absl::StatusOr<SnapshotContents> TrainSnapshotContents(
    const ShopData& data, const TrainerOptions& options, int64_t version,
    std::ostream& log, const IalsEpochCallback& on_epoch = {});

// What turns the loaded data into the snapshot's contents: by default
// TrainSnapshotContents; the trainer's command passes the self-tuning's
// (training/tuning/self_tuning/self_tuning.h), which calls it in the end.
using SnapshotContentsBuilder = std::function<absl::StatusOr<SnapshotContents>(
    const ShopData& data, const TrainerOptions& options, int64_t version,
    std::ostream& log, const IalsEpochCallback& on_epoch)>;

// Progress goes to `log`: load counts (with sample errors for skipped rows),
// loss per epoch with an ETA, the snapshot written, wall time and peak memory.
absl::StatusOr<TrainingResult> Train(const TrainerOptions& options,
                                     std::ostream& log,
                                     const SnapshotContentsBuilder& build = {});

}  // namespace recommender

#endif  // TRAINING_TRAINER_TRAINER_H_
