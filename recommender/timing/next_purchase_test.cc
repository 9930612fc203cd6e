#include "recommender/timing/next_purchase.h"

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

absl::Time Day(double d) {
  return absl::FromUnixSeconds(kStart) + absl::Seconds(d * kDay);
}

// Alice buys coffee every 30 days (days 0 to 90) and tea once (day 95).
TestSnapshotBuilder Shop() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("coffee", "food/coffee", {1, 0})
      .AddItem("tea", "food/tea", {0, 1})
      .AddItem("microwave", "kitchen", {1, 1}, snapshot::DURABLE)
      .AddCustomer("alice", {1, 0},
                   {{"coffee", kStart},
                    {"coffee", kStart + 30 * kDay},
                    {"coffee", kStart + 60 * kDay},
                    {"microwave", kStart + 61 * kDay},
                    {"coffee", kStart + 90 * kDay},
                    {"tea", kStart + 95 * kDay}})
      .AddCustomer("bob", {0, 1})
      .SetRepurchaseCycle("coffee", 30)
      .SetRepurchaseCycle("tea", 20)
      .SetDataEnd(kStart + 100 * kDay);
  return builder;
}

std::unique_ptr<const ModelSnapshot> Load(SnapshotContents contents) {
  auto snapshot = ModelSnapshot::FromContents(std::move(contents));
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return snapshot.ok() ? *std::move(snapshot) : nullptr;
}

const ConsumableForecast* Find(const std::vector<ConsumableForecast>& all,
                               const ModelSnapshot& snapshot,
                               const std::string& id) {
  for (const ConsumableForecast& f : all) {
    if (snapshot.item(f.item).id() == id) return &f;
  }
  return nullptr;
}

TEST(NextPurchaseTest, StatusesAndExplanationsOverTime) {
  auto snapshot = Load(Shop().Build());
  const int32_t alice = *snapshot->FindCustomer("alice");

  std::vector<ConsumableForecast> at100 =
      ForecastConsumables(*snapshot, alice, Day(100), 30);
  ASSERT_EQ(at100.size(), 2u);  // The microwave is no consumable.
  const ConsumableForecast* coffee = Find(at100, *snapshot, "coffee");
  const ConsumableForecast* tea = Find(at100, *snapshot, "tea");
  ASSERT_TRUE(coffee != nullptr && tea != nullptr);
  EXPECT_EQ(coffee->status, RepurchaseStatus::kNotDue);
  EXPECT_EQ(coffee->source, IntervalSource::kCustomer);
  EXPECT_EQ(coffee->explanation,
            "re-bought about every 30 days; last bought 10 days ago");
  EXPECT_EQ(tea->source, IntervalSource::kItem);
  EXPECT_EQ(tea->explanation,
            "usually re-bought about every 20 days; last bought 5 days ago");
  // Soonest due first: tea (day ~115) before coffee (day ~120).
  EXPECT_EQ(at100[0].item, tea->item);
  EXPECT_LE(coffee->earliest, coffee->predicted);
  EXPECT_LE(coffee->predicted, coffee->latest);
  EXPECT_GE(coffee->earliest, Day(100));
  EXPECT_LT(absl::AbsDuration(coffee->due - Day(120)), absl::Hours(24));

  std::vector<ConsumableForecast> at117 =
      ForecastConsumables(*snapshot, alice, Day(117), 30);
  coffee = Find(at117, *snapshot, "coffee");
  tea = Find(at117, *snapshot, "tea");
  EXPECT_EQ(coffee->status, RepurchaseStatus::kDueSoon);
  EXPECT_EQ(coffee->explanation,
            "re-bought about every 30 days; last bought 27 days ago");
  EXPECT_EQ(tea->status, RepurchaseStatus::kOverdue);
  EXPECT_GT(coffee->probability_within_horizon, 0.8);

  std::vector<ConsumableForecast> at300 =
      ForecastConsumables(*snapshot, alice, Day(300), 30);
  EXPECT_EQ(Find(at300, *snapshot, "coffee")->status, RepurchaseStatus::kLapsed);
}

TEST(NextPurchaseTest, TwoUnitsLastTwiceAsLongAndTheReasonSaysSo) {
  SnapshotContents contents = Shop().Build();
  // Alice's last coffee purchase (day 90) was of two bags.
  snapshot::Customer* alice = contents.customers.mutable_customers(0);
  for (int k = 0; k < alice->purchased_items_size(); ++k) {
    alice->add_purchase_quantities(k == 4 ? 2 : 1);
  }
  auto snapshot = Load(std::move(contents));
  std::vector<ConsumableForecast> at130 =
      ForecastConsumables(*snapshot, 0, Day(130), 30);
  const ConsumableForecast* coffee = Find(at130, *snapshot, "coffee");
  ASSERT_NE(coffee, nullptr);
  EXPECT_NEAR(coffee->interval.TypicalDays(), 60, 1);
  EXPECT_EQ(coffee->status, RepurchaseStatus::kNotDue);
  EXPECT_EQ(coffee->explanation,
            "re-bought about every 30 days; last bought 40 days ago, 2 of them");
}

TEST(NextPurchaseTest, PurchasesAfterAsOfAreNotSeen) {
  auto snapshot = Load(Shop().Build());
  const int32_t alice = *snapshot->FindCustomer("alice");
  std::vector<ConsumableForecast> at65 =
      ForecastConsumables(*snapshot, alice, Day(65), 30);
  ASSERT_EQ(at65.size(), 1u);
  EXPECT_EQ(at65[0].last_purchase, Day(60));
  EXPECT_EQ(at65[0].interval.times_bought, 3);
  EXPECT_TRUE(ForecastConsumables(*snapshot, alice, Day(-1), 30).empty());
}

TEST(NextPurchaseTest, LifetimeFiguresNeedAFittedModel) {
  SnapshotContents contents = Shop().Build();
  auto without = Load(Shop().Build());
  const int32_t alice = *without->FindCustomer("alice");
  absl::StatusOr<NextPurchasePrediction> plain =
      PredictNextPurchase(*without, alice, Day(100), 30);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FALSE(plain->lifetime.has_value());
  EXPECT_EQ(plain->consumables.size(), 2u);

  snapshot::CustomerLifetimeModel* lifetime = contents.timing.mutable_lifetime();
  lifetime->set_bgnbd_r(2.5);
  lifetime->set_bgnbd_alpha(40);
  lifetime->set_bgnbd_a(0.25);
  lifetime->set_bgnbd_b(12);
  lifetime->set_gamma_gamma_p(6);
  lifetime->set_gamma_gamma_q(4);
  lifetime->set_gamma_gamma_gamma(3000);
  lifetime->set_days_per_unit(1);
  auto with = Load(std::move(contents));
  absl::StatusOr<NextPurchasePrediction> full =
      PredictNextPurchase(*with, alice, Day(100), 30, 0.1);
  ASSERT_TRUE(full.ok()) << full.status();
  ASSERT_TRUE(full->lifetime.has_value());
  EXPECT_GT(full->lifetime->probability_active, 0.5);
  EXPECT_GT(full->lifetime->expected_orders, 0.1);
  EXPECT_GT(full->lifetime->lifetime_value, 0);
  // Bob never bought: no figures, no forecasts.
  absl::StatusOr<NextPurchasePrediction> bob =
      PredictNextPurchase(*with, *with->FindCustomer("bob"), Day(100), 30);
  ASSERT_TRUE(bob.ok());
  EXPECT_FALSE(bob->lifetime.has_value());
  EXPECT_TRUE(bob->consumables.empty());
  EXPECT_DOUBLE_EQ(ProbabilityActive(*with, *with->FindCustomer("bob"), Day(100)), 1);

  EXPECT_EQ(PredictNextPurchase(*with, alice, Day(100), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PredictNextPurchase(*with, alice, Day(100), 30, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NextPurchaseTest, NoTimingModelMeansNoForecasts) {
  auto snapshot = Load(TestSnapshotBuilder(2)
                           .AddItem("coffee", "food/coffee", {1, 0})
                           .AddCustomer("alice", {1, 0}, {{"coffee", kStart}})
                           .Build());
  EXPECT_TRUE(ForecastConsumables(*snapshot, 0, Day(10), 30).empty());
}

}  // namespace
}  // namespace recommender
