#include "training/tuning/self_tuning/validation_split.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

constexpr int64_t kStart = 1700000000;

// Customers who buy every `gap` days over `days` days (and view once); the
// first `late` of them keep buying to the end, the others stop 60 days
// before it.
ShopData Shop(int customers, int gap, int days, int late = -1) {
  ShopData data;
  data.items.resize(3);
  data.customers.resize(customers);
  for (int c = 0; c < customers; ++c) {
    data.events.push_back({c, 2, EventType::kView, 1, kStart, 0});
    const int end = late < 0 || c < late ? days : days - 60;
    for (int day = c % gap; day < end; day += gap) {
      data.events.push_back({c, c % 2, EventType::kPurchase, 1,
                             kStart + day * kSecondsPerDay + 3600, 0});
    }
  }
  return data;
}

TEST(ValidationSplitTest, CadenceIsTheMedianGapBetweenPurchaseDaysAtLeastAWeek) {
  EXPECT_EQ(PurchaseCadenceDays(Shop(10, 20, 200), 0), 20);
  EXPECT_EQ(PurchaseCadenceDays(Shop(10, 3, 200), 0), 7);
  EXPECT_EQ(PurchaseCadenceDays(Shop(10, 200, 100), 0), 7);  // No repeats.
}

TEST(ValidationSplitTest, HoldsOutTheLastDaysAndWidensForEnoughCustomers) {
  const ShopData data = Shop(60, 20, 300);
  ValidationOptions options;
  options.min_customers = 30;
  auto split = MakeValidationSplit(data, options);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(split->days, 20);
  // Every customer buys once in any 20-day window.
  EXPECT_EQ(split->split.test.size(), 60u);
  options.min_customers = 61;
  EXPECT_EQ(MakeValidationSplit(data, options).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Only 10 of 60 ten-day buyers are still active at the end: the window
  // doubles until it reaches back to the others; a fixed window does not.
  const ShopData lapsing = Shop(60, 10, 300, /*late=*/10);
  options.min_customers = 40;
  auto widened = MakeValidationSplit(lapsing, options);
  ASSERT_TRUE(widened.ok()) << widened.status();
  EXPECT_EQ(widened->days, 80);
  EXPECT_EQ(widened->split.test.size(), 60u);
  options.days = 10;
  EXPECT_FALSE(MakeValidationSplit(lapsing, options).ok());
}

// A known horizon (an evaluation's test window) sets the window instead
// of the cadence, within a week and half the history.
TEST(ValidationSplitTest, AKnownHorizonSetsTheWindow) {
  const ShopData data = Shop(60, 20, 300);
  ValidationOptions options;
  options.min_customers = 10;
  for (const auto& [horizon, days] : std::vector<std::pair<int32_t, int32_t>>{
           {45, 45}, {3, 7}, {1000, 149}}) {
    options.horizon_days = horizon;
    auto split = MakeValidationSplit(data, options);
    ASSERT_TRUE(split.ok()) << split.status();
    EXPECT_EQ(split->days, days) << "horizon " << horizon;
  }
  // A fixed window wins over the horizon.
  options.horizon_days = 45;
  options.days = 25;
  auto fixed = MakeValidationSplit(data, options);
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->days, 25);
}

TEST(ValidationSplitTest, RandomHoldsOutAShareOfEachCustomer) {
  ValidationOptions options;
  options.kind = ValidationKind::kRandom;
  options.min_customers = 10;
  auto split = MakeValidationSplit(Shop(20, 10, 200), options);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ(split->days, 0);
  EXPECT_NE(split->description.find("25%"), std::string::npos);
  EXPECT_GT(split->split.held_out_events, 0);
}

std::vector<int32_t> Rows(const ValidationSplit& split) {
  std::vector<int32_t> rows;
  for (const TestCustomer& c : split.split.test) rows.push_back(c.customer);
  return rows;
}

TEST(ValidationSplitTest, ScoresASeededSampleOfALargeWindowInCustomerOrder) {
  const ShopData data = Shop(60, 20, 300);
  ValidationOptions options;
  options.min_customers = 10;
  options.max_customers = 25;
  options.seed = 7;
  auto sampled = MakeValidationSplit(data, options);
  ASSERT_TRUE(sampled.ok()) << sampled.status();
  EXPECT_EQ(sampled->eligible_customers, 60);
  ASSERT_EQ(sampled->split.test.size(), 25u);
  EXPECT_NE(sampled->description.find("25 of its 60 customers"),
            std::string::npos)
      << sampled->description;
  const std::vector<int32_t> rows = Rows(*sampled);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end()), rows.end());
  // Not simply the first 25.
  EXPECT_GT(rows.back(), 24);

  // The same seed gives the same sample; another seed another one.
  auto again = MakeValidationSplit(data, options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Rows(*again), rows);
  options.seed = 8;
  auto other = MakeValidationSplit(data, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(Rows(*other), rows);

  // The training part is not sampled, and 0 keeps everyone.
  EXPECT_EQ(sampled->split.train.events.size(),
            again->split.train.events.size());
  options.max_customers = 0;
  auto all = MakeValidationSplit(data, options);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->split.test.size(), 60u);
  EXPECT_EQ(all->description.find("of its"), std::string::npos);
}

}  // namespace
}  // namespace recommender
