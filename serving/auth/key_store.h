// KeyStore: the API keys of a keys file (api_keys.h), checked on every call
// and reloaded when the file changes, so keys can be added, rotated and
// revoked without a restart. A file that fails to parse on reload is
// reported and the keys loaded before stay in force.
//
// Thread-safe: Authenticate may run on any thread while the file is
// reloaded; the keys are swapped atomically.
#ifndef SERVING_AUTH_KEY_STORE_H_
#define SERVING_AUTH_KEY_STORE_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/roles.h"

namespace recommender::serving::auth {

// Who is calling: the key's id and roles.
struct Principal {
  std::string key_id;
  RoleSet roles;
};

class KeyStore {
 public:
  // Reads the keys file. NotFound if it does not exist; ParseKeyFile's
  // errors. An empty file is valid (every call is then refused).
  static absl::StatusOr<std::unique_ptr<KeyStore>> Open(const std::string& path);

  // Stops watching.
  ~KeyStore();

  // The principal whose key `token` ("<key id>.<secret>") is.
  // Unauthenticated otherwise, with the same message whether the id is
  // unknown or the secret wrong; the message never repeats the token.
  absl::StatusOr<Principal> Authenticate(absl::string_view token) const;

  // Reloads the file if its size, time or inode changed. True if new keys
  // are in force; the parse error (old keys kept) otherwise.
  absl::StatusOr<bool> ReloadIfChanged();

  // Calls ReloadIfChanged every `interval` on a thread of its own until
  // destroyed; `report` hears each reload (OK) or failure.
  void StartWatching(absl::Duration interval,
                     std::function<void(const absl::Status&, size_t keys)> report);

  size_t size() const;
  const std::string& path() const { return path_; }

 private:
  struct FileStamp {
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp& other) const {
      return inode == other.inode && size == other.size &&
             mtime_ns == other.mtime_ns;
    }
  };
  using KeyMap = absl::flat_hash_map<std::string, ApiKey>;

  explicit KeyStore(std::string path) : path_(std::move(path)) {}
  // Reads and parses the file with its stamp taken first.
  absl::StatusOr<std::pair<FileStamp, std::shared_ptr<const KeyMap>>> Read() const;

  const std::string path_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const KeyMap> keys_ ABSL_GUARDED_BY(mu_);
  FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread watcher_;
};

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_KEY_STORE_H_
