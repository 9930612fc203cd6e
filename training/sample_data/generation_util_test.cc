#include "training/sample_data/generation_util.h"

#include <cstdint>
#include <iterator>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 24 * kHour;

TEST(GenerationUtilTest, MidnightInJapanTime) {
  // 2026-01-01 00:00 +09:00 is 2025-12-31 15:00 UTC.
  EXPECT_EQ(GeneratedShopMidnight(absl::CivilDay(2026, 1, 1)), 1767193200);
  EXPECT_EQ(GeneratedShopMidnight(absl::CivilDay(2026, 1, 2)),
            1767193200 + kDay);
}

TEST(GenerationUtilTest, DaytimeIsBetweenEightAndMidnightOfTheSameDay) {
  const int64_t start = GeneratedShopMidnight(absl::CivilDay(2026, 3, 1));
  SeededRandom random(11);
  for (int i = 0; i < 1000; ++i) {
    // Any moment of the third day, 02:00 or 23:59 alike.
    const int64_t t = start + 2 * kDay + (i % 2 == 0 ? 2 * kHour : kDay - 60);
    const int64_t daytime = DaytimeOf(random, start, t);
    EXPECT_GE(daytime, start + 2 * kDay + 8 * kHour);
    EXPECT_LT(daytime, start + 3 * kDay);
  }
}

TEST(GenerationUtilTest, SignupsFromAYearBeforeToAMonthBeforeTheEnd) {
  const int64_t start = GeneratedShopMidnight(absl::CivilDay(2026, 3, 1));
  SeededRandom random(5);
  for (int i = 0; i < 1000; ++i) {
    const int64_t signup = DrawSignup(random, start, 60);
    EXPECT_GE(signup, start - 365 * kDay);
    EXPECT_LT(signup, start + 30 * kDay);
  }
}

TEST(GenerationUtilTest, ChurnWithinTheRestOfTheWindowOrNever) {
  SeededRandom random(3);
  EXPECT_FALSE(DrawChurn(random, 0.0, 100, 100 + 10 * kDay).has_value());
  for (int i = 0; i < 100; ++i) {
    const std::optional<int64_t> churn =
        DrawChurn(random, 1.0, 100, 100 + 10 * kDay);
    ASSERT_TRUE(churn.has_value());
    EXPECT_GE(*churn, 100);
    EXPECT_LT(*churn, 100 + 10 * kDay);
  }
  // Active from the window's end: still a day to churn in.
  const std::optional<int64_t> late = DrawChurn(random, 1.0, 500, 500);
  ASSERT_TRUE(late.has_value());
  EXPECT_LT(*late, 500 + kDay);
}

TEST(GenerationUtilTest, DrawsByRunningSumsSkipZeroWeights) {
  std::vector<double> sums;
  for (double weight : {1.0, 0.0, 3.0}) AppendRunningSum(sums, weight);
  EXPECT_EQ(sums, (std::vector<double>{1, 1, 4}));
  SeededRandom random(9);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 4000; ++i) ++counts[DrawByRunningSums(random, sums)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[0] / 4000.0, 0.25, 0.03);
}

TEST(GenerationUtilTest, RegionsAreTheListsIndices) {
  SeededRandom random(1);
  for (int i = 0; i < 200; ++i) {
    const int region = DrawRegion(random);
    EXPECT_GE(region, 0);
    EXPECT_LT(region, static_cast<int>(std::size(kGeneratedRegions)));
  }
}

Event At(int64_t time, int32_t customer, int32_t item, EventType type) {
  Event e;
  e.unix_seconds = time;
  e.customer = customer;
  e.item = item;
  e.type = type;
  return e;
}

TEST(GenerationUtilTest, SortsByTimeAndDropsExactRepeatsOnly) {
  std::vector<Event> events = {
      At(30, 0, 1, EventType::kView),     At(10, 2, 0, EventType::kPurchase),
      At(30, 0, 1, EventType::kView),     At(30, 0, 1, EventType::kCart),
      At(10, 1, 0, EventType::kPurchase), At(20, 0, 0, EventType::kView)};
  SortAndDeduplicate(events);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].unix_seconds, 10);
  EXPECT_EQ(events[0].customer, 1);  // Same time: by customer.
  EXPECT_EQ(events[1].customer, 2);
  EXPECT_EQ(events[2].unix_seconds, 20);
  EXPECT_EQ(events[3].type, EventType::kView);  // The repeat is gone...
  EXPECT_EQ(events[4].type, EventType::kCart);  // ...another type is kept.
  EXPECT_EQ(events[4].unix_seconds, 30);
}

}  // namespace
}  // namespace recommender
