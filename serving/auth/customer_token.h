// Customer tokens: how a browser proves which customer it speaks for. The
// shop's backend, which knows who is logged in, mints a short-lived token
// binding a customer id with a key it shares with this server; the widget
// in the page sends the token, and the public browser path answers only for
// the customer inside it. Anonymous visitors have no token and get no
// history.
//
//   ct1.<key id>.<customer id, base64url>.<expiry, Unix seconds>.<mac>
//
// where <mac> is base64url(HMAC-SHA256(key, everything before ".<mac>")).
// Keys live in a token-keys file, one "<key id> <64+ hex digits>" line each
// ('#' comments): several keys let a new one be rolled out before the old
// one is removed. Any language can mint tokens with HMAC-SHA256 and
// base64url (docs/security.md shows Python).
//
// Verification refuses (UNAUTHENTICATED, HTTP 401) a token that is
// malformed, signed with an unknown key or not by the key it names
// (compared in constant time), expired (a token replayed after its expiry
// is just expired), or expiring further ahead than the verifier's maximum
// lifetime (a backend minting long-lived tokens is refused, not trusted).
//
// Thread-safe: CustomerTokenKeys is immutable; functions are pure.
#ifndef SERVING_AUTH_CUSTOMER_TOKEN_H_
#define SERVING_AUTH_CUSTOMER_TOKEN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace recommender::serving::auth {

inline constexpr size_t kMinTokenKeyBytes = 32;
inline constexpr absl::Duration kDefaultMaxTokenLifetime = absl::Hours(1);

class CustomerTokenKeys {
 public:
  // Parses a token-keys file. InvalidArgument naming `source` and the line
  // for a bad key id (as API key ids), a key shorter than 32 bytes or not
  // hex, or a repeated id; also for a file without keys.
  static absl::StatusOr<CustomerTokenKeys> Parse(absl::string_view text,
                                                 absl::string_view source);
  static absl::StatusOr<CustomerTokenKeys> ReadFile(const std::string& path);

  // A new file's text with one random key named `key_id`.
  static absl::StatusOr<std::string> NewKeyFile(absl::string_view key_id);

  // The raw key; nullptr if unknown.
  const std::string* Find(absl::string_view key_id) const;
  // The id of the file's first key: the one to mint with.
  const std::string& first_id() const { return first_id_; }

 private:
  absl::flat_hash_map<std::string, std::string> keys_;
  std::string first_id_;
};

struct CustomerClaim {
  std::string customer_id;
  absl::Time expires;
  // The token key that signed it.
  std::string key_id;
};

// A token for `customer_id` valid until `expires`, signed with the key
// `key_id` of `keys`. InvalidArgument for an empty customer id or an
// unknown key id.
absl::StatusOr<std::string> MintCustomerToken(const CustomerTokenKeys& keys,
                                              absl::string_view key_id,
                                              absl::string_view customer_id,
                                              absl::Time expires);

// The claim inside `token` if it is genuine and valid at `now` (see above);
// Unauthenticated saying why otherwise (never echoing the token).
absl::StatusOr<CustomerClaim> VerifyCustomerToken(
    const CustomerTokenKeys& keys, absl::string_view token, absl::Time now,
    absl::Duration max_lifetime = kDefaultMaxTokenLifetime);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_CUSTOMER_TOKEN_H_
