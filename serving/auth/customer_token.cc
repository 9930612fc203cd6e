#include "serving/auth/customer_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/key_file.h"

namespace recommender::serving::auth {
namespace {

constexpr absl::string_view kVersion = "ct1";

std::string Mac(const std::string& key, absl::string_view signed_part) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()),
       signed_part.size(), mac, &length);
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(mac), length));
}

bool IsHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !text.empty() && text.size() % 2 == 0;
}

}  // namespace

absl::StatusOr<CustomerTokenKeys> CustomerTokenKeys::Parse(
    absl::string_view text, absl::string_view source) {
  CustomerTokenKeys keys;
  const absl::Status parsed = ForEachKeyFileEntry(
      text, source,
      [&](const std::vector<absl::string_view>& fields) -> absl::Status {
        if (fields.size() != 2) {
          return absl::InvalidArgumentError("expected \"<key id> <hex key>\"");
        }
        if (absl::Status id = ValidateKeyId(fields[0]); !id.ok()) {
          return absl::InvalidArgumentError(id.message());
        }
        if (!IsHex(fields[1]) || fields[1].size() < 2 * kMinTokenKeyBytes) {
          return absl::InvalidArgumentError(absl::StrCat(
              "the key must be at least ", kMinTokenKeyBytes, " bytes in hex (",
              2 * kMinTokenKeyBytes, " digits)"));
        }
        if (!keys.keys_.emplace(fields[0], absl::HexStringToBytes(fields[1]))
                 .second) {
          return absl::InvalidArgumentError(
              absl::StrCat("key id \"", fields[0], "\" appears twice"));
        }
        if (keys.first_id_.empty()) keys.first_id_ = std::string(fields[0]);
        return absl::OkStatus();
      });
  if (!parsed.ok()) return parsed;
  if (keys.keys_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no keys"));
  }
  return keys;
}

absl::StatusOr<CustomerTokenKeys> CustomerTokenKeys::ReadFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<std::string> CustomerTokenKeys::NewKeyFile(
    absl::string_view key_id) {
  if (absl::Status id = ValidateKeyId(key_id); !id.ok()) return id;
  std::string key(kMinTokenKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 1) {
    return absl::InternalError("OpenSSL's random source failed");
  }
  return absl::StrCat(
      "# Customer-token keys: the first one signs new tokens. Keep secret.\n",
      key_id, " ", absl::BytesToHexString(key), "\n");
}

const std::string* CustomerTokenKeys::Find(absl::string_view key_id) const {
  auto it = keys_.find(key_id);
  return it == keys_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::string> MintCustomerToken(const CustomerTokenKeys& keys,
                                              absl::string_view key_id,
                                              absl::string_view customer_id,
                                              absl::Time expires) {
  if (customer_id.empty()) {
    return absl::InvalidArgumentError("customer_id: must not be empty");
  }
  const std::string* key = keys.Find(key_id);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("key id \"", key_id, "\" is not in the token keys"));
  }
  const std::string signed_part =
      absl::StrCat(kVersion, ".", key_id, ".",
                   absl::WebSafeBase64Escape(customer_id), ".",
                   absl::ToUnixSeconds(expires));
  return absl::StrCat(signed_part, ".", Mac(*key, signed_part));
}

absl::StatusOr<CustomerClaim> VerifyCustomerToken(
    const CustomerTokenKeys& keys, absl::string_view token, absl::Time now,
    absl::Duration max_lifetime) {
  auto refuse = [](absl::string_view why) {
    return absl::UnauthenticatedError(absl::StrCat("customer token: ", why));
  };
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 5 || parts[0] != kVersion) return refuse("malformed");
  const std::string* key = keys.Find(parts[1]);
  if (key == nullptr) return refuse("signed with an unknown key");
  const size_t mac_start = token.size() - parts[4].size();
  const std::string expected = Mac(*key, token.substr(0, mac_start - 1));
  if (expected.size() != parts[4].size() ||
      CRYPTO_memcmp(expected.data(), parts[4].data(), expected.size()) != 0) {
    return refuse("bad signature");
  }
  int64_t expiry = 0;
  std::string customer_id;
  if (!absl::SimpleAtoi(parts[3], &expiry) ||
      !absl::WebSafeBase64Unescape(parts[2], &customer_id) ||
      customer_id.empty()) {
    return refuse("malformed");
  }
  const absl::Time expires = absl::FromUnixSeconds(expiry);
  if (expires <= now) return refuse("expired");
  if (expires - now > max_lifetime) {
    return refuse("expires too far ahead (mint short-lived tokens)");
  }
  return CustomerClaim{std::move(customer_id), expires, std::string(parts[1])};
}

}  // namespace recommender::serving::auth
