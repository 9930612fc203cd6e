#include "training/sample_data/generation_util.h"

#include <cstdint>
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
