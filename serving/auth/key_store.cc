#include "serving/auth/key_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/util/file_util.h"

namespace recommender::serving::auth {

absl::StatusOr<std::pair<KeyStore::FileStamp, std::shared_ptr<const KeyStore::KeyMap>>>
KeyStore::Read() const {
  struct stat info;
  if (::stat(path_.c_str(), &info) != 0) {
    const std::string why = std::strerror(errno);
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path_, ": no such keys file"));
    }
    return absl::InternalError(absl::StrCat(path_, ": ", why));
  }
  FileStamp stamp;
  stamp.inode = info.st_ino;
  stamp.size = info.st_size;
  stamp.mtime_ns = int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
  absl::StatusOr<std::string> text = ReadFileToString(path_);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<ApiKey>> parsed = ParseKeyFile(*text, path_);
  if (!parsed.ok()) return parsed.status();
  auto keys = std::make_shared<KeyMap>();
  for (ApiKey& key : *parsed) {
    std::string id = key.id;
    keys->emplace(std::move(id), std::move(key));
  }
  return std::make_pair(stamp, std::shared_ptr<const KeyMap>(std::move(keys)));
}

absl::StatusOr<std::unique_ptr<KeyStore>> KeyStore::Open(const std::string& path) {
  std::unique_ptr<KeyStore> store(new KeyStore(path));
  auto read = store->Read();
  if (!read.ok()) return read.status();
  absl::MutexLock lock(&store->mu_);
  store->stamp_ = read->first;
  store->keys_ = std::move(read->second);
  return store;
}

KeyStore::~KeyStore() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (watcher_.joinable()) watcher_.join();
}

absl::StatusOr<Principal> KeyStore::Authenticate(absl::string_view token) const {
  static constexpr absl::string_view kRefused = "unknown or wrong API key";
  std::optional<TokenParts> parts = SplitToken(token);
  if (!parts.has_value()) {
    return absl::UnauthenticatedError(
        "malformed API key: expected \"<key id>.<secret>\"");
  }
  std::shared_ptr<const KeyMap> keys;
  {
    absl::MutexLock lock(&mu_);
    keys = keys_;
  }
  auto it = keys->find(parts->id);
  if (it == keys->end() || !SecretMatches(it->second, parts->secret)) {
    return absl::UnauthenticatedError(kRefused);
  }
  return Principal{it->second.id, it->second.roles};
}

absl::StatusOr<bool> KeyStore::ReloadIfChanged() {
  struct stat info;
  if (::stat(path_.c_str(), &info) == 0) {
    FileStamp now;
    now.inode = info.st_ino;
    now.size = info.st_size;
    now.mtime_ns = int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
    absl::MutexLock lock(&mu_);
    if (now == stamp_) return false;
  }
  auto read = Read();
  if (!read.ok()) return read.status();
  absl::MutexLock lock(&mu_);
  stamp_ = read->first;
  keys_ = std::move(read->second);
  return true;
}

void KeyStore::StartWatching(
    absl::Duration interval,
    std::function<void(const absl::Status&, size_t keys)> report) {
  watcher_ = std::thread([this, interval, report = std::move(report)] {
    absl::Status last = absl::OkStatus();
    while (!stop_.WaitForNotificationWithTimeout(interval)) {
      absl::StatusOr<bool> reloaded = ReloadIfChanged();
      if (reloaded.ok() && !*reloaded) continue;
      const absl::Status status = reloaded.status();
      // A broken file is reported once, not on every poll.
      if (!status.ok() && status == last) continue;
      last = status;
      if (report) report(status, size());
    }
  });
}

size_t KeyStore::size() const {
  absl::MutexLock lock(&mu_);
  return keys_->size();
}

}  // namespace recommender::serving::auth
