#include "recommender/timing/customer_rfm.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(DayNumberTest, CountsCalendarDaysInTheShopsZone) {
  EXPECT_EQ(DayNumber(absl::CivilDay(1970, 1, 2)), 1);
  EXPECT_EQ(DayNumber(absl::CivilDay(1969, 12, 31)), -1);
  // 2026-03-01T20:00:00Z is already March 2nd in Japan (+09:00).
  const int64_t t = 1772395200;
  EXPECT_EQ(DayNumber(t, 0), DayNumber(absl::CivilDay(2026, 3, 1)));
  EXPECT_EQ(DayNumber(t, 9 * 3600), DayNumber(absl::CivilDay(2026, 3, 2)));
  EXPECT_EQ(DayNumber(-1, 0), -1);
}

TEST(SummarizePurchasesTest, MergesSameDayPurchasesAndIgnoresLaterOnes) {
  // Days 10 (twice), 17 and 31; the end of the period is day 38.
  const std::vector<DatedPurchase> purchases = {
      {17, 5}, {10, 2}, {10, 3}, {31, 7}, {45, 100}};
  std::optional<CustomerRfm> rfm = SummarizePurchases(purchases, 38, 7);
  ASSERT_TRUE(rfm.has_value());
  EXPECT_EQ(rfm->frequency, 2);
  EXPECT_DOUBLE_EQ(rfm->recency, 3);  // (31 - 10) / 7 weeks.
  EXPECT_DOUBLE_EQ(rfm->age, 4);      // (38 - 10) / 7 weeks.
  EXPECT_DOUBLE_EQ(rfm->mean_repeat_value, 6);  // Mean of 5 and 7.

  const std::vector<DatedPurchase> days = TransactionDays(purchases, 38);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].day, 10);
  EXPECT_DOUBLE_EQ(days[0].value, 5);
}

TEST(SummarizePurchasesTest, OneTimeBuyersAndLateCustomers) {
  std::optional<CustomerRfm> once = SummarizePurchases({{{5, 9}}}, 12, 1);
  ASSERT_TRUE(once.has_value());
  EXPECT_EQ(once->frequency, 0);
  EXPECT_EQ(once->recency, 0);
  EXPECT_EQ(once->age, 7);
  EXPECT_EQ(once->mean_repeat_value, 0);
  EXPECT_FALSE(SummarizePurchases({{{20, 9}}}, 12, 1).has_value());
  EXPECT_FALSE(SummarizePurchases({}, 12, 1).has_value());
}

}  // namespace
}  // namespace recommender
