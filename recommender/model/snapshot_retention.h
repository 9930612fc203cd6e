// Old model versions on disk: once a newer version serves, the older ones
// still hold every customer they were trained on (erased ones included).
// RemoveOldSnapshots keeps the version in service and the newest few before
// it, and removes the rest.
//
// Thread-safe: no shared state. Versions newer than the one in service
// (not loaded yet, or refused) are never touched; a snapshot in memory does
// not need its files.
#ifndef RECOMMENDER_MODEL_SNAPSHOT_RETENTION_H_
#define RECOMMENDER_MODEL_SNAPSHOT_RETENTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace recommender {

// Removes the version folders of `model_dir` older than `serving_version`
// except the newest `keep - 1` of them, so that `keep` versions remain up to
// and including the one in service. Returns the versions removed, oldest
// first. InvalidArgument if `keep` < 1; errors of the file system.
absl::StatusOr<std::vector<int64_t>> RemoveOldSnapshots(
    const std::string& model_dir, int64_t serving_version, int keep);

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_SNAPSHOT_RETENTION_H_
