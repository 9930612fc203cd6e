// Authorizer: the one check every call goes through, whatever the transport.
// The gRPC server calls it from its auth metadata processor
// (serving/grpc_auth.h), the admin port from its request handler, and an
// HTTP front end can call it the same way: give it the method (gRPC's full
// name or the page's path), the authorization header and the peer.
//
//   method in the table (method_access.h)?      no  -> PERMISSION_DENIED
//   public (health)?                            yes -> allowed, no key needed
//   "authorization: Bearer <key id>.<secret>"?  no  -> UNAUTHENTICATED
//   a key of the keys file (key_store.h)?       no  -> UNAUTHENTICATED
//   one of the roles the method needs?          no  -> PERMISSION_DENIED,
//                                                      naming the roles
//   within the key's rate (rate_limiter.h)?     no  -> RESOURCE_EXHAUSTED
//                                                      with the delay
//
// Every refusal is written to the audit log; calls that ran are written by
// the transport through CallFinished once their outcome is known (for the
// methods the table marks audited). Without a keys file every call is
// allowed as an unrestricted caller (the server then listens on loopback
// only, or with --insecure).
//
// Thread-safe: all methods.
#ifndef SERVING_AUTH_AUTHORIZER_H_
#define SERVING_AUTH_AUTHORIZER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "serving/auth/audit_log.h"
#include "serving/auth/key_store.h"
#include "serving/auth/method_access.h"
#include "serving/auth/rate_limiter.h"
#include "serving/auth/stream_limiter.h"

namespace recommender::serving::auth {

class Authorizer {
 public:
  struct Options {
    // Not owned; null: keys are off.
    const KeyStore* keys = nullptr;
    RateLimiter::Options rate;
    // Streams one key may have open at once; < 1: no cap.
    int max_streams_per_key = 0;
    // Not owned; null: nothing is audited.
    AuditLog* audit = nullptr;
  };

  struct Request {
    // "/recommender.v1.Recommender/Recommend" or an admin page ("/metrics").
    absl::string_view method;
    // The authorization header's value; nullopt if the call had none.
    std::optional<absl::string_view> authorization;
    // The caller's address, for the audit log.
    absl::string_view peer;
  };

  explicit Authorizer(const Options& options);

  // The caller, if the call may go ahead; the refusal (see above)
  // otherwise, already audited. The status' message names what is missing
  // and never repeats the key.
  absl::StatusOr<Principal> Authorize(const Request& request, absl::Time now);

  // Audits a call that ran, if its method is audited: its outcome (a status
  // code's name), duration and counts.
  void CallFinished(const Principal& caller, absl::string_view method,
                    absl::string_view outcome, absl::string_view peer,
                    absl::Time start, absl::Time end,
                    std::vector<std::pair<std::string, int64_t>> counts);

  // False without a keys file: then every caller is Unrestricted().
  bool keys_enabled() const { return options_.keys != nullptr; }
  StreamLimiter& streams() { return streams_; }

  // The caller when keys are off: no key id, every role.
  static Principal Unrestricted() { return {"", RoleSet::All()}; }

  // Audits and returns `refusal`: for a transport's own refusals after
  // Authorize let the call through (a bad customer token on the gateway).
  // `caller` may be null.
  absl::Status Refuse(const Request& request, absl::Time now,
                      const Principal* caller, absl::Status refusal);

 private:

  const Options options_;
  RateLimiter rate_;
  StreamLimiter streams_;
};

// The token of an "authorization" header's value "Bearer <token>" (scheme in
// any case); Unauthenticated saying what is expected otherwise.
absl::StatusOr<absl::string_view> BearerToken(
    std::optional<absl::string_view> authorization);

// How an HTTP front end answers a refusal: 401 with "WWW-Authenticate:
// Bearer" (no or wrong key), 403 (role), 429 with Retry-After (rate), 503
// otherwise.
struct HttpRefusal {
  int status = 403;
  std::vector<std::pair<std::string, std::string>> headers;
};
HttpRefusal HttpRefusalFor(const absl::Status& refusal);

// "OK", "PERMISSION_DENIED", ...: gRPC's names of the status codes.
absl::string_view StatusCodeName(absl::StatusCode code);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_AUTHORIZER_H_
