// ModelManager: keeps the newest loadable snapshot of a model directory in
// memory and swaps in newer ones as they appear (TF Serving's "latest
// version" policy).
//
// A new version is loaded and verified off the request path, then published
// atomically; readers holding the old snapshot keep it until they drop their
// shared_ptr. A version that fails to load is reported once and the current
// model stays in service; it is tried again only when its folder changes
// (a file added, removed, resized or rewritten), so that a snapshot copied
// in file by file is picked up once the copy is complete, while a broken
// one costs no load per poll. A folder must be named after the version its
// manifest gives; a mismatch is refused the same way. (The safe way to
// publish is still to write the folder elsewhere on the same file system
// and rename it into place: docs/model-snapshot.md.)
//
// Thread-safe: Current() may be called from any thread at any time.
#ifndef RECOMMENDER_MODEL_MODEL_MANAGER_H_
#define RECOMMENDER_MODEL_MODEL_MANAGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

class ModelManager {
 public:
  // Told about every load attempt; called on the thread that polls.
  struct Listener {
    std::function<void(const ModelSnapshot& loaded)> on_loaded;
    std::function<void(int64_t version, const absl::Status& error)> on_failed;
  };

  // `erased` (may be null) is handed to every snapshot loaded: it masks
  // erased customers (model_snapshot.h).
  ModelManager(std::string model_dir, Listener listener,
               std::shared_ptr<const ErasedCustomers> erased = nullptr);
  // Stops polling.
  ~ModelManager();

  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // The model in service, or null before the first successful load.
  std::shared_ptr<const ModelSnapshot> Current() const;

  // Loads the newest version newer than the current one, trying older ones
  // (still newer than current) if it fails, and skipping versions refused
  // before whose folder has not changed since. OK if the model is now the
  // newest loadable version; the last load error otherwise.
  absl::Status PollOnce();

  // Calls PollOnce every `interval` on a background thread until Stop().
  void StartPolling(absl::Duration interval);
  void Stop();

  int64_t load_failures() const;

 private:
  const std::string model_dir_;
  const Listener listener_;
  const std::shared_ptr<const ErasedCustomers> erased_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const ModelSnapshot> current_ ABSL_GUARDED_BY(mu_);
  // Refused versions and their folder's DirectoryFingerprint at the time.
  absl::flat_hash_map<int64_t, std::string> failed_versions_
      ABSL_GUARDED_BY(mu_);
  int64_t load_failures_ ABSL_GUARDED_BY(mu_) = 0;

  // Serializes PollOnce callers.
  absl::Mutex poll_mu_;
  absl::Notification stop_;
  std::thread poller_;
};

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_MODEL_MANAGER_H_
