#include "recommender/model/model_manager.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

// Loads MODEL_DIR/<version>, refusing a folder whose manifest names another
// version before reading anything else.
absl::StatusOr<std::unique_ptr<const ModelSnapshot>> LoadVersion(
    const std::string& dir, int64_t version,
    std::shared_ptr<const ErasedCustomers> erased) {
  absl::StatusOr<snapshot::Manifest> manifest = ReadSnapshotManifest(dir);
  if (!manifest.ok()) return manifest.status();
  if (manifest->version() != version) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": the folder is named ", version, " but its manifest says version ",
        manifest->version(), "; a version is served only from the folder named "
        "after it: rename the folder or fix the manifest"));
  }
  return ModelSnapshot::Load(dir, std::move(erased));
}

}  // namespace

ModelManager::ModelManager(std::string model_dir, Listener listener,
                           std::shared_ptr<const ErasedCustomers> erased)
    : model_dir_(std::move(model_dir)),
      listener_(std::move(listener)),
      erased_(std::move(erased)) {}

ModelManager::~ModelManager() { Stop(); }

std::shared_ptr<const ModelSnapshot> ModelManager::Current() const {
  absl::ReaderMutexLock lock(&mu_);
  return current_;
}

int64_t ModelManager::load_failures() const {
  absl::ReaderMutexLock lock(&mu_);
  return load_failures_;
}

absl::Status ModelManager::PollOnce() {
  absl::MutexLock poll_lock(&poll_mu_);
  absl::StatusOr<std::vector<int64_t>> versions =
      ListSnapshotVersions(model_dir_);
  if (!versions.ok()) return versions.status();
  int64_t current_version = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    if (current_ != nullptr) current_version = current_->version();
  }
  absl::Status last_error = absl::OkStatus();
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    const int64_t version = *it;
    if (version <= current_version) break;
    const std::string dir = JoinPath(model_dir_, absl::StrCat(version));
    // Taken before loading: a change during the load is seen at the next poll.
    absl::StatusOr<std::string> fingerprint = DirectoryFingerprint(dir);
    if (!fingerprint.ok()) continue;  // Gone since the listing.
    {
      absl::ReaderMutexLock lock(&mu_);
      auto failed = failed_versions_.find(version);
      if (failed != failed_versions_.end() && failed->second == *fingerprint) {
        continue;
      }
    }
    absl::StatusOr<std::unique_ptr<const ModelSnapshot>> loaded =
        LoadVersion(dir, version, erased_);
    if (!loaded.ok()) {
      {
        absl::MutexLock lock(&mu_);
        failed_versions_[version] = *fingerprint;
        ++load_failures_;
      }
      if (listener_.on_failed) listener_.on_failed(version, loaded.status());
      last_error = loaded.status();
      continue;
    }
    std::shared_ptr<const ModelSnapshot> snapshot = *std::move(loaded);
    {
      absl::MutexLock lock(&mu_);
      current_ = snapshot;
    }
    if (listener_.on_loaded) listener_.on_loaded(*snapshot);
    return absl::OkStatus();
  }
  return last_error;
}

void ModelManager::StartPolling(absl::Duration interval) {
  poller_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) {
      PollOnce().IgnoreError();  // The listener reports failures.
    }
  });
}

void ModelManager::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (poller_.joinable()) poller_.join();
}

}  // namespace recommender
