#include "serving/auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender::serving::auth {

RateLimiter::RateLimiter(const Options& options)
    : options_{std::max(0.0, options.per_second), std::max(1.0, options.burst)} {}

std::optional<absl::Duration> RateLimiter::TryAcquire(absl::string_view key_id,
                                                      absl::Time now) {
  if (options_.per_second <= 0) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(key_id);
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = options_.burst;
  } else {
    const double elapsed =
        std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
    bucket.tokens =
        std::min(options_.burst, bucket.tokens + elapsed * options_.per_second);
  }
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  return absl::Seconds((1 - bucket.tokens) / options_.per_second);
}

absl::Status RateLimitedError(absl::string_view key_id, double per_second,
                              absl::Duration retry_after) {
  const int64_t millis =
      std::max<int64_t>(1, absl::ToInt64Milliseconds(absl::Ceil(
                               retry_after, absl::Milliseconds(1))));
  absl::Status status = absl::ResourceExhaustedError(absl::StrFormat(
      "key %s is over its rate limit of %g calls/s; retry after %d ms", key_id,
      per_second, millis));
  status.SetPayload(kRetryAfterPayload, absl::Cord(absl::StrCat(millis)));
  return status;
}

std::optional<absl::Duration> RetryAfter(const absl::Status& status) {
  const auto payload = status.GetPayload(kRetryAfterPayload);
  int64_t millis = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &millis)) {
    return std::nullopt;
  }
  return absl::Milliseconds(millis);
}

}  // namespace recommender::serving::auth
