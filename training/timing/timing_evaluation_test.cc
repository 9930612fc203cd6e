#include "training/timing/timing_evaluation.h"

#include <map>

#include "gtest/gtest.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {
namespace {

std::map<std::string, TimingMetrics> ByName(const TimingEvaluation& e) {
  return {e.models.begin(), e.models.end()};
}

TEST(TimingEvaluationTest, ShopModelBeatsNaiveBaselinesOnTheSampleShop) {
  SampleShopOptions options;
  options.num_customers = 400;
  options.num_items = 100;
  const SampleShop shop = GenerateSampleShop(options);
  std::vector<bool> consumable;
  for (const ItemTruth& truth : shop.item_truth) {
    consumable.push_back(truth.durability == Durability::kConsumable);
  }
  const absl::Time start =
      absl::FromCivil(options.first_day, absl::FixedTimeZone(9 * 3600));
  TimingSplit split;
  split.cutoff = start + absl::Hours(24 * 275);
  split.test_end = start + absl::Hours(24 * 365);
  absl::StatusOr<TimingEvaluation> evaluation =
      EvaluateShopTiming(shop.data, consumable, split, &shop);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status();
  std::map<std::string, TimingMetrics> m = ByName(*evaluation);
  ASSERT_EQ(m.size(), 6u);
  const TimingMetrics& model = m["repurchase_model"];
  EXPECT_GT(model.rebuying_pairs, 100);
  EXPECT_LT(model.rebuying_pairs, model.pairs);
  for (const char* baseline : {"item_median_interval", "customer_last_interval"}) {
    EXPECT_EQ(m[baseline].kind, "baseline");
    EXPECT_EQ(m[baseline].rebuying_pairs, model.rebuying_pairs);
    EXPECT_LT(model.mae_days, m[baseline].mae_days) << baseline;
    EXPECT_LT(model.brier, m[baseline].brier) << baseline;
  }
  // Knowing who is still active sharpens the probabilities, not the dates.
  EXPECT_EQ(m["repurchase_model_without_activity"].mae_days, model.mae_days);
  EXPECT_LT(model.brier, m["repurchase_model_without_activity"].brier);
  EXPECT_EQ(m["true_cycle"].kind, "reference");
  // Every model is scored on the same outcomes.
  EXPECT_GT(model.bought_within_horizon, 0);
  EXPECT_LT(model.bought_within_horizon, model.pairs);
  for (const auto& [name, metrics] : m) {
    EXPECT_EQ(metrics.bought_within_horizon, model.bought_within_horizon)
        << name;
  }

  const std::string json = TimingEvaluationJson(*evaluation);
  EXPECT_NE(json.find("\"models\": {"), std::string::npos);
  EXPECT_NE(json.find("\"brier_30d\""), std::string::npos);
  EXPECT_NE(json.find("\"best_baseline_by_mae\": "), std::string::npos);
  EXPECT_NE(json.find("\"base_rate_30d\": "), std::string::npos) << json;
  EXPECT_NE(json.find("\"brier_of_constant_base_rate\": "), std::string::npos);
}

TEST(TimingEvaluationTest, CustomerLevelOnASmallLog) {
  PurchaseLog log;
  // Customers buying every 10 days, 20 days, or once; the split at day 100.
  for (int c = 0; c < 60; ++c) {
    log.customer_ids.push_back(std::to_string(c));
    const int every = c % 3 == 0 ? 10 : 20;
    std::vector<DatedPurchase> days;
    for (int d = c % 7; d < (c % 3 == 2 ? c % 7 + 1 : 200); d += every) {
      days.push_back({d, 10});
    }
    log.purchases.push_back(days);
  }
  TimingSplit split;
  split.cutoff = absl::FromUnixSeconds(100 * 86400);
  split.test_end = absl::FromUnixSeconds(200 * 86400);
  absl::StatusOr<TimingEvaluation> evaluation =
      EvaluateCustomerTiming(log, split);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status();
  std::map<std::string, TimingMetrics> m = ByName(*evaluation);
  EXPECT_EQ(m["bgnbd"].pairs, 60);
  EXPECT_EQ(m["bgnbd"].rebuying_pairs, 40);
  // The 40 regular buyers all buy within 20 days of the split.
  EXPECT_EQ(m["bgnbd"].bought_within_horizon, 40);
  EXPECT_LT(m["interval_model"].mae_days, m["population_median_interval"].mae_days);
  // The same dates with Pareto/NBD's P(active): it doubts the one-time
  // buyers (BG/NBD takes them to be active for sure), who never come back.
  const TimingMetrics& pareto = m["interval_model_pareto_nbd_activity"];
  EXPECT_EQ(pareto.kind, "model");
  EXPECT_EQ(pareto.mae_days, m["interval_model"].mae_days);
  EXPECT_LT(pareto.brier, m["interval_model"].brier);

  split.test_end = split.cutoff;
  EXPECT_EQ(EvaluateCustomerTiming(log, split).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
