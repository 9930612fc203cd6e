#include "serving/auth/key_store.h"

#include <utility>
#include <vector>

namespace recommender::serving::auth {

absl::StatusOr<std::unique_ptr<KeyStore>> KeyStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<WatchedFile<KeyMap>>> file =
      WatchedFile<KeyMap>::Open(
          path,
          [](const std::string& text,
             const std::string& file_path) -> absl::StatusOr<KeyMap> {
            absl::StatusOr<std::vector<ApiKey>> parsed =
                ParseKeyFile(text, file_path);
            if (!parsed.ok()) return parsed.status();
            KeyMap keys;
            for (ApiKey& key : *parsed) {
              std::string id = key.id;
              keys.emplace(std::move(id), std::move(key));
            }
            return keys;
          });
  if (!file.ok()) return file.status();
  return std::unique_ptr<KeyStore>(new KeyStore(*std::move(file)));
}

absl::StatusOr<Principal> KeyStore::Authenticate(absl::string_view token) const {
  static constexpr absl::string_view kRefused = "unknown or wrong API key";
  std::optional<TokenParts> parts = SplitToken(token);
  if (!parts.has_value()) {
    return absl::UnauthenticatedError(
        "malformed API key: expected \"<key id>.<secret>\"");
  }
  const std::shared_ptr<const KeyMap> keys = file_->Get();
  auto it = keys->find(parts->id);
  if (it == keys->end() || !SecretMatches(it->second, parts->secret)) {
    return absl::UnauthenticatedError(kRefused);
  }
  return Principal{it->second.id, it->second.roles};
}

void KeyStore::StartWatching(
    absl::Duration interval,
    std::function<void(const absl::Status&, size_t keys)> report) {
  file_->StartWatching(interval,
                       [this, report = std::move(report)](const absl::Status& s) {
                         if (report) report(s, size());
                       });
}

}  // namespace recommender::serving::auth
