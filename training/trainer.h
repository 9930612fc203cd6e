// The trainer's whole job in one call: load and validate the shop's files,
// learn iALS factors, and write a versioned model snapshot.
//
// Thread-safe: no shared state (uses `options.ials.threads` threads).
#ifndef TRAINING_TRAINER_H_
#define TRAINING_TRAINER_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/index/item_index_factory.h"
#include "training/ials.h"
#include "training/interaction_matrix.h"

namespace recommender {

struct TrainerOptions {
  // Holds catalog.csv, customers.csv and events.csv.
  std::string data_dir;
  // Snapshots are written to model_dir/<version>/.
  std::string model_dir;
  // If set, the server's event log (its --event_log_dir) is read as well.
  std::string event_log_dir;
  LoadOptions load;
  EventWeights weights;
  IalsOptions ials;
  // The item index: by default exact for small catalogs, HNSW above.
  IndexOptions index;
  // 0: derive from the clock as YYYYMMDDhhmmss (UTC), bumped past any
  // version already in model_dir.
  int64_t version = 0;
  int32_t popularity_window_days = 30;
};

struct TrainingResult {
  int64_t version = 0;
  std::string snapshot_dir;
  std::vector<FileLoadReport> reports;
  std::vector<double> epoch_losses;
  double wall_seconds = 0;
};

// Progress goes to `log` line by line: load counts (with sample errors for
// skipped rows), loss per epoch, the snapshot written.
absl::StatusOr<TrainingResult> Train(const TrainerOptions& options,
                                     std::ostream& log);

}  // namespace recommender

#endif  // TRAINING_TRAINER_H_
