#include "serving/auth/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "serving/auth/key_file.h"

namespace recommender::serving::auth {
namespace {

constexpr size_t kMaxKeyIdBytes = 64;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr absl::string_view kScheme = "sha256";

std::string Sha256(absl::string_view salt, absl::string_view secret) {
  const std::string input = absl::StrCat(salt, secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(),
             nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()),
                 static_cast<int>(n)) != 1) {
    return absl::InternalError("OpenSSL's random source failed");
  }
  return bytes;
}

// Raw bytes of `hex` if it is `bytes` bytes of hex digits.
std::optional<std::string> FromHex(absl::string_view hex, size_t bytes) {
  if (hex.size() != 2 * bytes) return std::nullopt;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  return absl::HexStringToBytes(hex);
}

// The hash field "sha256:<salt>:<hash>" into `key`; false if malformed.
bool ParseHashField(absl::string_view field, ApiKey* key) {
  std::vector<absl::string_view> parts = absl::StrSplit(field, ':');
  if (parts.size() != 3 || parts[0] != kScheme) return false;
  std::optional<std::string> salt = FromHex(parts[1], kSaltBytes);
  std::optional<std::string> hash = FromHex(parts[2], kHashBytes);
  if (!salt.has_value() || !hash.has_value()) return false;
  key->salt = *std::move(salt);
  key->hash = *std::move(hash);
  return true;
}

}  // namespace

absl::Status ValidateKeyId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id: must be 1 to ", kMaxKeyIdBytes, " characters"));
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return absl::InvalidArgumentError(
          "key id: only letters, digits, '_' and '-' are allowed");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<NewApiKey> MakeApiKey(absl::string_view id, RoleSet roles) {
  if (absl::Status valid = ValidateKeyId(id); !valid.ok()) return valid;
  if (roles.empty()) return absl::InvalidArgumentError("roles: give at least one");
  absl::StatusOr<std::string> secret = RandomBytes(kSecretBytes);
  if (!secret.ok()) return secret.status();
  absl::StatusOr<std::string> salt = RandomBytes(kSaltBytes);
  if (!salt.ok()) return salt.status();
  NewApiKey made;
  const std::string encoded = absl::WebSafeBase64Escape(*secret);
  made.token = absl::StrCat(id, ".", encoded);
  made.key.id = std::string(id);
  made.key.roles = roles;
  made.key.salt = *std::move(salt);
  made.key.hash = Sha256(made.key.salt, encoded);
  return made;
}

std::string FormatKeyLine(const ApiKey& key) {
  return absl::StrCat(key.id, " ", key.roles.ToString(), " ", kScheme, ":",
                      absl::BytesToHexString(key.salt), ":",
                      absl::BytesToHexString(key.hash), "\n");
}

absl::StatusOr<std::vector<ApiKey>> ParseKeyFile(absl::string_view text,
                                                 absl::string_view source) {
  std::vector<ApiKey> keys;
  absl::flat_hash_set<std::string> ids;
  const absl::Status parsed = ForEachKeyFileEntry(
      text, source,
      [&](const std::vector<absl::string_view>& fields) -> absl::Status {
        if (fields.size() != 3) {
          return absl::InvalidArgumentError(
              "expected \"<key id> <roles> sha256:<salt>:<hash>\"");
        }
        ApiKey key;
        if (absl::Status id = ValidateKeyId(fields[0]); !id.ok()) {
          return absl::InvalidArgumentError(id.message());
        }
        key.id = std::string(fields[0]);
        absl::StatusOr<RoleSet> roles = RoleSet::Parse(fields[1]);
        if (!roles.ok()) {
          return absl::InvalidArgumentError(roles.status().message());
        }
        key.roles = *roles;
        if (!ParseHashField(fields[2], &key)) {
          return absl::InvalidArgumentError(
              "the hash must be sha256:<32 hex digits>:<64 hex digits>");
        }
        if (!ids.insert(key.id).second) {
          return absl::InvalidArgumentError(
              absl::StrCat("key id \"", key.id, "\" appears twice"));
        }
        keys.push_back(std::move(key));
        return absl::OkStatus();
      });
  if (!parsed.ok()) return parsed;
  return keys;
}

std::optional<TokenParts> SplitToken(absl::string_view token) {
  const size_t dot = token.find('.');
  if (dot == absl::string_view::npos) return std::nullopt;
  TokenParts parts{token.substr(0, dot), token.substr(dot + 1)};
  if (!ValidateKeyId(parts.id).ok() || parts.secret.empty()) {
    return std::nullopt;
  }
  return parts;
}

bool SecretMatches(const ApiKey& key, absl::string_view secret) {
  const std::string hash = Sha256(key.salt, secret);
  return hash.size() == key.hash.size() &&
         CRYPTO_memcmp(hash.data(), key.hash.data(), hash.size()) == 0;
}

}  // namespace recommender::serving::auth
