#include "recommender/timing/repurchase_intervals.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;

TEST(GroupByItemTest, MergesSameDayPurchasesAndDropsLaterOnes) {
  const std::vector<ConsumablePurchase> purchases = {
      {7, 10 * kDay, 1},           {3, 0, 1},
      {7, 0, 1},                   {7, 3600, 2},  // Same day: one purchase.
      {7, 30 * kDay, 1},           {3, 100 * kDay, 1}};
  const std::vector<ItemHistory> histories = GroupByItem(purchases, 50 * kDay);
  ASSERT_EQ(histories.size(), 2u);
  EXPECT_EQ(histories[0].item, 7);
  ASSERT_EQ(histories[0].purchases.size(), 3u);
  EXPECT_EQ(histories[0].purchases[0].unix_seconds, 0);
  EXPECT_EQ(histories[0].purchases[0].quantity, 3);
  EXPECT_EQ(histories[0].purchases[2].unix_seconds, 30 * kDay);
  EXPECT_EQ(histories[1].item, 3);
  EXPECT_EQ(histories[1].purchases.size(), 1u);  // Day 100 is after as_of.
}

TEST(CollectIntervalsTest, DaysAndUnitsOfTheFirstPurchase) {
  const std::vector<ItemHistory> histories = {
      {7, {{7, 0, 3}, {7, 10 * kDay, 1}, {7, 30 * kDay, 1}}}, {3, {{3, 0, 1}}}};
  const std::vector<RepurchaseInterval> intervals = CollectIntervals(histories);
  ASSERT_EQ(intervals.size(), 2u);
  EXPECT_EQ(intervals[0].item, 7);
  EXPECT_NEAR(intervals[0].log_days, std::log(10.0), 1e-12);
  EXPECT_NEAR(intervals[0].log_quantity, std::log(3.0), 1e-12);
  EXPECT_NEAR(intervals[1].log_days, std::log(20.0), 1e-12);
  EXPECT_EQ(intervals[1].log_quantity, 0);
}

}  // namespace
}  // namespace recommender
