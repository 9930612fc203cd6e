// RateLimiter: a token bucket per API key. Each key may make `per_second`
// calls a second on average and `burst` in a row; a call over the limit is
// told how long to wait (RESOURCE_EXHAUSTED with "retry after" for gRPC,
// HTTP 429 with Retry-After).
//
// Thread-safe: all methods. Time is passed in, so tests need no clock.
#ifndef SERVING_AUTH_RATE_LIMITER_H_
#define SERVING_AUTH_RATE_LIMITER_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace recommender::serving::auth {

class RateLimiter {
 public:
  struct Options {
    // Average calls per second per key; 0 turns limiting off.
    double per_second = 0;
    // Calls a key may make at once after being idle; at least 1.
    double burst = 1;
  };

  explicit RateLimiter(const Options& options);

  // Takes one call from the key's bucket at `now`. nullopt if allowed;
  // otherwise how long until the next call would be.
  std::optional<absl::Duration> TryAcquire(absl::string_view key_id,
                                           absl::Time now);

  const Options& options() const { return options_; }

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };

  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

// The payload under which a RESOURCE_EXHAUSTED status carries its retry
// delay in milliseconds (decimal text), for front ends that turn it into
// Retry-After or gRPC retry information.
inline constexpr absl::string_view kRetryAfterPayload =
    "type.googleapis.com/recommender.RetryAfterMilliseconds";

// ResourceExhausted for `key_id`, with the delay in its message and payload.
absl::Status RateLimitedError(absl::string_view key_id, double per_second,
                              absl::Duration retry_after);

// The delay carried by a status made by RateLimitedError; nullopt if none.
std::optional<absl::Duration> RetryAfter(const absl::Status& status);

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_RATE_LIMITER_H_
