// Writes a model snapshot as MODEL_DIR/<version>/ so that a reader never sees
// half a model: every file goes to a temporary folder inside MODEL_DIR, is
// fsynced, and the folder is then renamed into place.
//
// Thread-safe: no shared state; concurrent writers must use distinct versions.
#ifndef RECOMMENDER_MODEL_SNAPSHOT_WRITER_H_
#define RECOMMENDER_MODEL_SNAPSHOT_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "recommender/model/snapshot_contents.h"

namespace recommender {

// Writes `contents` under `model_dir` (created if missing) as the version in
// contents.manifest.version, recording each file's size and CRC-32C in the
// manifest. Returns the snapshot's folder. AlreadyExists if that version is
// there already; InvalidArgument if the parts disagree in size or dimension.
absl::StatusOr<std::string> WriteSnapshot(const SnapshotContents& contents,
                                          const std::string& model_dir);

// Checks that the parts of `contents` fit together: factor and table sizes,
// dimensions, customer rows, purchase lists. Used by writer and loader.
absl::Status ValidateSnapshotContents(const SnapshotContents& contents);

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_SNAPSHOT_WRITER_H_
