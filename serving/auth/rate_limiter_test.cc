#include "serving/auth/rate_limiter.h"

#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

TEST(RateLimiterTest, BurstThenTheRate) {
  RateLimiter limiter({/*per_second=*/10, /*burst=*/3});
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.TryAcquire("k", t0), std::nullopt);
  std::optional<absl::Duration> wait = limiter.TryAcquire("k", t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_NEAR(absl::ToDoubleSeconds(*wait), 0.1, 1e-9);
  // Another key has its own bucket.
  EXPECT_EQ(limiter.TryAcquire("other", t0), std::nullopt);
  // 0.1 s later one call is allowed again, and only one.
  EXPECT_EQ(limiter.TryAcquire("k", t0 + absl::Milliseconds(100)), std::nullopt);
  EXPECT_TRUE(limiter.TryAcquire("k", t0 + absl::Milliseconds(100)).has_value());
  // Idle for long: back to the burst, not beyond.
  const absl::Time later = t0 + absl::Seconds(60);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.TryAcquire("k", later), std::nullopt);
  EXPECT_TRUE(limiter.TryAcquire("k", later).has_value());
}

TEST(RateLimiterTest, ZeroRateIsNoLimit) {
  RateLimiter limiter({0, 1});
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.TryAcquire("k", t0), std::nullopt);
}

TEST(RateLimiterTest, TheErrorCarriesTheDelay) {
  const absl::Status status =
      RateLimitedError("shop-web", 5, absl::Microseconds(120500));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "key shop-web is over its rate limit of 5 calls/s; retry after 121 ms");
  EXPECT_EQ(RetryAfter(status), absl::Milliseconds(121));
  EXPECT_EQ(RetryAfter(absl::ResourceExhaustedError("x")), std::nullopt);
}

}  // namespace
}  // namespace recommender::serving::auth
