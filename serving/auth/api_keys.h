// API keys: what a keys file holds and how a presented key is checked.
//
// A key is given to a client once, as the token "<key id>.<secret>" (the
// secret: 32 random bytes, base64url). The server keeps only a line
//
//   <key id> <roles> sha256:<salt, hex>:<SHA-256 of salt and secret, hex>
//
// per key in its keys file ('#' starts a comment), so the file lets no one
// call the server. The secret is random and long, so one salted SHA-256 is
// as strong as a slow password hash would be and costs microseconds per call.
// Hashes are compared in constant time. Key ids are not secret: they name
// the caller in the audit log.
//
// Thread-safe: pure functions.
#ifndef SERVING_AUTH_API_KEYS_H_
#define SERVING_AUTH_API_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "serving/auth/roles.h"

namespace recommender::serving::auth {

struct ApiKey {
  // 1 to 64 of A-Z a-z 0-9 _ -.
  std::string id;
  RoleSet roles;
  // Raw bytes.
  std::string salt;
  std::string hash;
};

struct NewApiKey {
  ApiKey key;
  // "<key id>.<secret>": shown once, never stored.
  std::string token;
};

// InvalidArgument unless `id` is 1 to 64 of A-Z a-z 0-9 _ -.
absl::Status ValidateKeyId(absl::string_view id);

// A fresh key with a random secret and salt (OpenSSL's RAND_bytes).
// InvalidArgument for a bad id or no roles; Internal if the random source
// fails.
absl::StatusOr<NewApiKey> MakeApiKey(absl::string_view id, RoleSet roles);

// The keys file's line for `key` (with '\n').
std::string FormatKeyLine(const ApiKey& key);

// Parses a keys file. InvalidArgument naming `source` and the line for a
// malformed line, an unknown role, a bad hash or a repeated key id.
absl::StatusOr<std::vector<ApiKey>> ParseKeyFile(absl::string_view text,
                                                 absl::string_view source);

// Splits a token into key id and secret; nullopt if it has no '.' or a bad id.
struct TokenParts {
  absl::string_view id;
  absl::string_view secret;
};
std::optional<TokenParts> SplitToken(absl::string_view token);

// True if `secret` is the key's: SHA-256(salt, secret) equals its hash,
// compared in constant time.
bool SecretMatches(const ApiKey& key, absl::string_view secret);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_API_KEYS_H_
