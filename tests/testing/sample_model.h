// Trains a small model on a generated sample shop, for end-to-end tests
// that need a real snapshot on disk.
#ifndef TESTS_TESTING_SAMPLE_MODEL_H_
#define TESTS_TESTING_SAMPLE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/snapshot.pb.h"

namespace recommender::testing {

struct SampleModelOptions {
  int32_t customers = 300;
  int32_t items = 100;
  int32_t factors = 16;
  int32_t epochs = 5;
  // 0: the trainer's clock-based version.
  int64_t version = 0;
  // If set, the trainer also reads this event log.
  std::string event_log_dir;
  // If > 0, a second block of factors, this many, learned with the same
  // settings as the first (as in a self-tuned ensemble, the snapshot's
  // vectors then hold factors + extra_block_factors values, folded in block
  // by block).
  int32_t extra_block_factors = 0;
  // The kind of request each block serves (TrainerOptions::block_requests):
  // empty, every block serves every request.
  std::vector<snapshot::ServedRequests> block_requests;
};

// Writes the sample shop to `data_dir` (if it is not there yet) and trains
// a model into `model_dir`. Returns the snapshot's folder.
absl::StatusOr<std::string> TrainSampleModel(const std::string& data_dir,
                                             const std::string& model_dir,
                                             const SampleModelOptions& options = {});

// The folders of a suite's model, as TrainSampleModelIn leaves them.
struct SuiteModel {
  std::string model_dir;     // <root>/models, the server's --model_dir.
  std::string snapshot_dir;  // The version trained in it.
};

// An end-to-end suite's set-up: empties `root`, then trains a sample model
// with the shop in <root>/data and the model in <root>/models.
absl::StatusOr<SuiteModel> TrainSampleModelIn(
    const std::string& root, const SampleModelOptions& options = {});

}  // namespace recommender::testing

#endif  // TESTS_TESTING_SAMPLE_MODEL_H_
