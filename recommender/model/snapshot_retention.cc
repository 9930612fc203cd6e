#include "recommender/model/snapshot_retention.h"

#include "absl/strings/str_cat.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender {

absl::StatusOr<std::vector<int64_t>> RemoveOldSnapshots(
    const std::string& model_dir, int64_t serving_version, int keep) {
  if (keep < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("keep_snapshots: must be >= 1, got ", keep));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> versions,
                   ListSnapshotVersions(model_dir));
  std::vector<int64_t> older;
  for (int64_t version : versions) {
    if (version < serving_version) older.push_back(version);
  }
  const size_t keep_older = static_cast<size_t>(keep - 1);
  std::vector<int64_t> removed;
  if (older.size() <= keep_older) return removed;
  older.resize(older.size() - keep_older);  // Ascending: the oldest go.
  for (int64_t version : older) {
    RETURN_IF_ERROR(RemoveAll(JoinPath(model_dir, absl::StrCat(version))));
    removed.push_back(version);
  }
  RETURN_IF_ERROR(SyncDirectory(model_dir));
  return removed;
}

}  // namespace recommender
