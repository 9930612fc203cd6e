#include "serving/auth/stream_limiter.h"

#include <vector>

#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

TEST(StreamLimiterTest, CapsOpenStreamsPerKeyAndFreesOnRelease) {
  StreamLimiter limiter(2);
  std::vector<StreamLimiter::Slot> slots;
  slots.push_back(*limiter.Acquire("a"));
  slots.push_back(*limiter.Acquire("a"));
  absl::StatusOr<StreamLimiter::Slot> third = limiter.Acquire("a");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.status().message().find("key a has 2 streams open"),
            std::string::npos);
  EXPECT_TRUE(limiter.Acquire("b").ok());  // Released at once.
  EXPECT_EQ(limiter.open("a"), 2);
  EXPECT_EQ(limiter.open("b"), 0);
  slots.pop_back();
  EXPECT_EQ(limiter.open("a"), 1);
  StreamLimiter::Slot moved = std::move(slots.back());
  slots.clear();
  EXPECT_EQ(limiter.open("a"), 1);
  EXPECT_TRUE(limiter.Acquire("a").ok());
}

TEST(StreamLimiterTest, NoCapBelowOne) {
  StreamLimiter limiter(0);
  std::vector<StreamLimiter::Slot> slots;
  for (int i = 0; i < 100; ++i) slots.push_back(*limiter.Acquire("a"));
  EXPECT_EQ(limiter.open("a"), 100);
}

}  // namespace
}  // namespace recommender::serving::auth
