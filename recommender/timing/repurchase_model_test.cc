#include "recommender/timing/repurchase_model.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;

// Items: 0 coffee (30 days), 1 a durable, 2 diapers (10 days), 3 tea
// (30 days, same category as coffee).
snapshot::RepurchaseModel Model() {
  snapshot::RepurchaseModel model;
  auto add = [&](bool consumable, double days, int group) {
    snapshot::ItemRepurchase* item = model.add_items();
    item->set_consumable(consumable);
    if (!consumable) return;
    item->set_log_mean(std::log(days));
    item->set_log_sd(0.1);
    item->set_category_group(group);
  };
  add(true, 30, 0);
  add(false, 0, 0);
  add(true, 10, 1);
  add(true, 30, 0);
  model.set_customer_sd(0.3);
  model.set_customer_category_sd(0.1);
  model.set_customer_item_sd(0.1);
  model.set_quantity_exponent(1);
  return model;
}

std::vector<ConsumablePurchase> Every(int32_t item, double days, int times,
                                      int64_t start = 0) {
  std::vector<ConsumablePurchase> purchases;
  for (int k = 0; k < times; ++k) {
    purchases.push_back(
        {item, start + static_cast<int64_t>(k * days * kDay), 1});
  }
  return purchases;
}

TEST(RepurchaseModelTest, ANewCustomerGetsTheItemsInterval) {
  const std::vector<IntervalForecast> forecasts =
      ForecastRepurchases(Model(), Every(0, 0, 1), 5 * kDay);
  ASSERT_EQ(forecasts.size(), 1u);
  EXPECT_NEAR(forecasts[0].TypicalDays(), 30, 1e-9);
  EXPECT_EQ(forecasts[0].times_bought, 1);
  EXPECT_NEAR(forecasts[0].elapsed_days, 5, 1e-9);
  // Unknown customer effects widen the interval.
  EXPECT_GT(forecasts[0].log_sd, 0.3);
}

TEST(RepurchaseModelTest, OwnHistoryShrinksTowardTheCustomersPace) {
  // Coffee every 20 days, ten times.
  const std::vector<IntervalForecast> forecasts =
      ForecastRepurchases(Model(), Every(0, 20, 10), 185 * kDay);
  ASSERT_EQ(forecasts.size(), 1u);
  EXPECT_GT(forecasts[0].TypicalDays(), 20);
  EXPECT_LT(forecasts[0].TypicalDays(), 21.5);
  EXPECT_EQ(forecasts[0].own_intervals, 9);
  EXPECT_LT(forecasts[0].log_sd, 0.2);
}

TEST(RepurchaseModelTest, PaceCarriesOverToOtherItemsAndBuyingTwoLastsLonger) {
  // Diapers every 5 days (twice as fast as typical), tea bought once, two
  // packs: tea is expected in about 2 * 30 / 2 days, not 60.
  std::vector<ConsumablePurchase> purchases = Every(2, 5, 12);
  purchases.push_back({3, 50 * kDay, 2});
  const std::vector<IntervalForecast> forecasts =
      ForecastRepurchases(Model(), purchases, 56 * kDay);
  ASSERT_EQ(forecasts.size(), 2u);
  const IntervalForecast& tea = forecasts[1];
  EXPECT_EQ(tea.item, 3);
  EXPECT_EQ(tea.last_quantity, 2);
  EXPECT_LT(tea.TypicalDays(), 45);
  EXPECT_GT(tea.TypicalDays(), 25);
}

TEST(RepurchaseModelTest, DurablesAndUnknownItemsGetNoForecast) {
  std::vector<ConsumablePurchase> purchases = Every(1, 10, 3);
  purchases.push_back({99, 0, 1});
  EXPECT_TRUE(ForecastRepurchases(Model(), purchases, 40 * kDay).empty());
}

TEST(RepurchaseModelTest, ConditionalQuantilesAndProbabilities) {
  IntervalForecast f;
  f.log_mean = std::log(30.0);
  f.log_sd = 0.2;
  f.elapsed_days = 10;
  EXPECT_NEAR(f.QuantileDays(0.5), 30, 1e-9);
  EXPECT_LT(f.QuantileDays(0.1), f.QuantileDays(0.9));
  // Not yet due: waiting 10 days hardly changes the median.
  EXPECT_NEAR(f.ConditionalQuantileDays(0.5), 30, 0.01);
  EXPECT_NEAR(f.ProbabilityWithin(20), 0.5, 0.01);
  EXPECT_LT(f.ProbabilityWithin(10), f.ProbabilityWithin(20));
  EXPECT_EQ(f.ProbabilityWithin(0), 0);
  // Overdue: the prediction moves to after now.
  f.elapsed_days = 40;
  EXPECT_GE(f.ConditionalQuantileDays(0.1), 40);
  EXPECT_GT(f.ConditionalQuantileDays(0.9), f.ConditionalQuantileDays(0.5));
  EXPECT_GT(f.ProbabilityWithin(7), 0.5);
  // So far in the tail that the distribution has no mass left.
  f.elapsed_days = 1e6;
  EXPECT_EQ(f.ConditionalQuantileDays(0.5), 1e6);
  EXPECT_EQ(f.ProbabilityWithin(7), 0);
}

TEST(RepurchaseModelTest, EffectsAreZeroWithoutPriors) {
  snapshot::RepurchaseModel model = Model();
  model.set_customer_sd(0);
  model.set_customer_category_sd(0);
  model.set_customer_item_sd(0);
  const std::vector<RepurchaseInterval> intervals =
      CollectIntervals(GroupByItem(Every(0, 10, 5), 100 * kDay));
  const CustomerEffects effects = EstimateCustomerEffects(model, intervals);
  EXPECT_EQ(effects.customer.mean, 0);
  EXPECT_TRUE(effects.item.empty());
}

}  // namespace
}  // namespace recommender
