#include "recommender/campaigns/simulated_orders.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

TEST(SimulatedOrdersTest, RatesOutsideZeroToOneAreNamed) {
  EXPECT_TRUE(CheckRates({{"a", 0}, {"b", 1}}).ok());
  const absl::Status bad = CheckRates({{"a", 0.5}, {"b", 1.5}, {"c", -1}});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "b: must be in [0, 1], got 1.5");
}

TEST(SimulatedOrdersTest, OrdersInTheWindowInOrderAtDistinctMoments) {
  SplitMix64 random(42);
  int seconds = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::vector<int64_t> times =
        SimulatedOrderTimes(random, 1000, 50, 0.5);
    ASSERT_GE(times.size(), 1u);
    ASSERT_LE(times.size(), 2u);
    for (int64_t t : times) {
      EXPECT_GE(t, 1000);
      EXPECT_LT(t, 1050);
    }
    if (times.size() == 2) {
      ++seconds;
      EXPECT_LT(times[0], times[1]);
    }
  }
  EXPECT_NEAR(seconds / 1000.0, 0.5, 0.06);
}

}  // namespace
}  // namespace recommender::campaigns
