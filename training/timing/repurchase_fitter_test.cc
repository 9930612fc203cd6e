// The fit recovers a known population: item cycles, how much customers
// differ, and that two units last twice as long.
#include "training/timing/repurchase_fitter.h"

#include <cmath>

#include "gtest/gtest.h"
#include "recommender/timing/repurchase_model.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr double kCycles[] = {10, 30, 60};
constexpr double kCustomerSpread = 0.25;

// Items 0-2 consumables with the cycles above (0 and 1 in one category),
// item 3 a durable bought now and then.
RepurchaseFitInput Simulate(int customers) {
  SeededRandom random(5);
  RepurchaseFitInput input;
  input.consumable = {true, true, true, false};
  input.categories = {"food/coffee", "food/coffee", "home/laundry", "kitchen"};
  for (int c = 0; c < customers; ++c) {
    const double pace = random.LogNormal(0, kCustomerSpread);
    std::vector<ConsumablePurchase> purchases;
    for (int32_t item = 0; item < 3; ++item) {
      if (!random.Bernoulli(0.7)) continue;
      double t = random.Uniform() * 30 * kDay;
      while (t < 365 * kDay) {
        const int32_t units = random.Bernoulli(0.15) ? 2 : 1;
        purchases.push_back({item, static_cast<int64_t>(t), units});
        t += kCycles[item] * pace * units * random.LogNormal(0, 0.1) * kDay;
      }
    }
    if (random.Bernoulli(0.3)) purchases.push_back({3, 100 * kDay, 1});
    input.customers.push_back(std::move(purchases));
  }
  return input;
}

TEST(RepurchaseFitterTest, RecoversCyclesSpreadsAndUnitScaling) {
  absl::StatusOr<snapshot::RepurchaseModel> model =
      FitRepurchaseModel(Simulate(400));
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->items_size(), 4);
  for (int32_t item = 0; item < 3; ++item) {
    const snapshot::ItemRepurchase& fitted = model->items(item);
    EXPECT_TRUE(fitted.consumable());
    EXPECT_EQ(fitted.basis(), snapshot::ITEM);
    EXPECT_NEAR(fitted.log_mean(), std::log(kCycles[item]), 0.05)
        << "item " << item;
    EXPECT_NEAR(fitted.log_sd(), 0.1, 0.03) << "item " << item;
  }
  EXPECT_FALSE(model->items(3).consumable());
  EXPECT_EQ(model->items(0).category_group(), model->items(1).category_group());
  EXPECT_NE(model->items(0).category_group(), model->items(2).category_group());
  ASSERT_EQ(model->categories_size(), 2);
  EXPECT_NEAR(model->quantity_exponent(), 1, 0.1);
  const double effects = std::sqrt(std::pow(model->customer_sd(), 2) +
                                   std::pow(model->customer_category_sd(), 2) +
                                   std::pow(model->customer_item_sd(), 2));
  EXPECT_NEAR(effects, kCustomerSpread, 0.07);
  EXPECT_GT(model->customer_sd(), model->customer_item_sd());
}

TEST(RepurchaseFitterTest, WithoutCustomerEffectsTheSpreadGoesToTheItems) {
  RepurchaseFitOptions options;
  options.customer_effects = false;
  absl::StatusOr<snapshot::RepurchaseModel> model =
      FitRepurchaseModel(Simulate(200), options);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->customer_sd(), 0);
  EXPECT_GT(model->items(1).log_sd(), 0.2);
}

TEST(RepurchaseFitterTest, ItemsWithoutIntervalsFallBackToTheirCategory) {
  RepurchaseFitInput input = Simulate(100);
  input.consumable.push_back(true);
  input.categories.push_back("food/coffee");
  input.customers[0].push_back({4, 0, 1});  // Bought once: no interval.
  absl::StatusOr<snapshot::RepurchaseModel> model = FitRepurchaseModel(input);
  ASSERT_TRUE(model.ok()) << model.status();
  const snapshot::ItemRepurchase& item = model->items(4);
  EXPECT_EQ(item.basis(), snapshot::CATEGORY);
  EXPECT_EQ(item.num_intervals(), 0);
  EXPECT_NEAR(item.log_mean(),
              model->categories(item.category_group()).log_mean(), 1e-9);
}

TEST(RepurchaseFitterTest, RefusesTooFewIntervals) {
  RepurchaseFitInput input;
  input.consumable = {true};
  input.categories = {"food"};
  input.customers = {{{0, 0, 1}, {0, 10 * kDay, 1}}};
  EXPECT_EQ(FitRepurchaseModel(input).status().code(),
            absl::StatusCode::kFailedPrecondition);
  input.categories.clear();
  EXPECT_EQ(FitRepurchaseModel(input).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
