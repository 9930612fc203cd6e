// KeyStore: the API keys of a keys file (api_keys.h), checked on every call
// and reloaded when the file changes, so keys can be added, rotated and
// revoked without a restart. A file that fails to parse on reload is
// reported and the keys loaded before stay in force.
//
// Thread-safe: Authenticate may run on any thread while the file is
// reloaded; the keys are swapped atomically.
#ifndef SERVING_AUTH_KEY_STORE_H_
#define SERVING_AUTH_KEY_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "recommender/util/watched_file.h"
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

  // The principal whose key `token` ("<key id>.<secret>") is.
  // Unauthenticated otherwise, with the same message whether the id is
  // unknown or the secret wrong; the message never repeats the token.
  absl::StatusOr<Principal> Authenticate(absl::string_view token) const;

  // Reloads the file if its size, time or inode changed. True if new keys
  // are in force; the parse error (old keys kept) otherwise.
  absl::StatusOr<bool> ReloadIfChanged() { return file_->ReloadIfChanged(); }

  // Calls ReloadIfChanged every `interval` on a thread of its own until
  // destroyed; `report` hears each reload (OK) or failure.
  void StartWatching(absl::Duration interval,
                     std::function<void(const absl::Status&, size_t keys)> report);

  size_t size() const { return file_->Get()->size(); }
  const std::string& path() const { return file_->path(); }

 private:
  using KeyMap = absl::flat_hash_map<std::string, ApiKey>;

  explicit KeyStore(std::unique_ptr<WatchedFile<KeyMap>> file)
      : file_(std::move(file)) {}

  const std::unique_ptr<WatchedFile<KeyMap>> file_;
};

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_KEY_STORE_H_
