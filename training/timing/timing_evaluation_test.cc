#include "training/timing/timing_evaluation.h"

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
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

  const nlohmann::ordered_json json =
      nlohmann::ordered_json::parse(TimingEvaluationJson(*evaluation));
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, std::vector<std::string>(
                      {"dataset", "split", "models", "fit", "summary"}));
  EXPECT_EQ(json.at("split").at("level"), "customer_item");
  EXPECT_EQ(json.at("split").at("test_days"), 90);
  EXPECT_EQ(json.at("split").at("horizon_days"), 30);
  // Every model in scoring order, days to 3 decimals, Brier to 4.
  ASSERT_EQ(json.at("models").size(), evaluation->models.size());
  auto printed = json.at("models").begin();
  for (const auto& [name, metrics] : evaluation->models) {
    EXPECT_EQ(printed.key(), name);
    const nlohmann::ordered_json& entry = printed.value();
    EXPECT_EQ(entry.at("kind"), metrics.kind);
    EXPECT_EQ(entry.at("pairs"), metrics.pairs);
    EXPECT_NEAR(entry.at("mae_days").get<double>(), metrics.mae_days, 5e-4);
    EXPECT_NEAR(entry.at("brier_30d").get<double>(), metrics.brier, 5e-5);
    ++printed;
  }
  const nlohmann::ordered_json& summary = json.at("summary");
  EXPECT_EQ(summary.at("best_baseline_by_mae"), "item_median_interval");
  EXPECT_EQ(summary.at("best_model_by_mae"), "repurchase_model");
  EXPECT_GT(summary.at("mae_reduction").get<double>(), 0);
  const double rate = static_cast<double>(model.bought_within_horizon) / model.pairs;
  EXPECT_NEAR(summary.at("base_rate_30d").get<double>(), rate, 5e-5);
  EXPECT_NEAR(summary.at("brier_of_constant_base_rate").get<double>(),
              rate * (1 - rate), 5e-5);
  EXPECT_FALSE(json.at("fit").empty());
}

// Names are free text: a dataset path holding quotes, a backslash or a line
// break still gives valid JSON that reads back the same.
TEST(TimingEvaluationJsonTest, DatasetPathIsEscaped) {
  TimingEvaluation evaluation;
  evaluation.dataset = "shop:/data/\"q3\" export\\raw\n";
  evaluation.level = "customer";
  evaluation.split.cutoff = absl::FromUnixSeconds(100 * 86400);
  evaluation.split.test_end = absl::FromUnixSeconds(190 * 86400);
  TimingMetrics baseline;
  baseline.kind = "baseline";
  baseline.pairs = 4;
  baseline.mae_days = 10.4401;
  baseline.brier = 0.25;
  TimingMetrics model = baseline;
  model.kind = "model";
  model.mae_days = 5;
  model.brier = 0.2;
  evaluation.models = {{"naive \"last\"", baseline}, {"model", model}};
  evaluation.fit = {{"shop_log_sd", 0.18087249}};
  const nlohmann::json json = nlohmann::json::parse(TimingEvaluationJson(evaluation));
  EXPECT_EQ(json.at("dataset"), evaluation.dataset);
  EXPECT_EQ(json.at("split").at("cutoff"), "1970-04-11T00:00:00Z");
  EXPECT_EQ(json.at("split").at("test_days"), 90);
  EXPECT_EQ(json.at("models").at("naive \"last\"").at("mae_days"), 10.44);
  EXPECT_EQ(json.at("fit").at("shop_log_sd"), 0.180872);
  EXPECT_EQ(json.at("summary").at("best_baseline_by_mae"), "naive \"last\"");
  EXPECT_EQ(json.at("summary").at("mae_reduction"), 0.5211);
  EXPECT_EQ(json.at("summary").at("brier_reduction"), 0.2);
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
  // The same dates with Pareto/NBD's P(active). (Nobody here drops out
  // after a repeat purchase, so BG/NBD's estimate is no dropout at all, and
  // both are near perfect: Pareto/NBD no worse.)
  const TimingMetrics& pareto = m["interval_model_pareto_nbd_activity"];
  EXPECT_EQ(pareto.kind, "model");
  EXPECT_EQ(pareto.mae_days, m["interval_model"].mae_days);
  EXPECT_LE(pareto.brier, m["interval_model"].brier + 1e-9);
  EXPECT_LT(m["interval_model"].brier, 0.01);
  EXPECT_EQ(evaluation->bgnbd_boundary, "no_dropout");

  split.test_end = split.cutoff;
  EXPECT_EQ(EvaluateCustomerTiming(log, split).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Unlabeled items are classed from the purchases up to the cutoff: an item
// first re-bought in the test window is not a consumable yet.
TEST(ConsumablesAtCutoffTest, UsesTheTrainingPeriodOnly) {
  ShopData data;
  for (int i = 0; i < 3; ++i) {
    CatalogItem item;
    item.id = "I" + std::to_string(i);
    item.category = "all";
    data.items.push_back(item);
  }
  const int64_t day = 86400;
  for (int c = 0; c < 20; ++c) {
    CustomerRecord customer;
    customer.id = "C" + std::to_string(c);
    data.customers.push_back(customer);
    // Item 0 every 20 days all year; item 1 once early, again after day 250.
    for (int d = c; d < 360; d += 20) {
      data.events.push_back({c, 0, EventType::kPurchase, 1, d * day, 1});
    }
    data.events.push_back({c, 1, EventType::kPurchase, 1, (10 + c) * day, 1});
    data.events.push_back({c, 1, EventType::kPurchase, 1, (260 + c) * day, 1});
  }
  const ConsumableItems at_200 = ConsumablesAtCutoff(data, absl::FromUnixSeconds(200 * day));
  EXPECT_EQ(at_200.source, "inferred");
  EXPECT_EQ(at_200.consumable, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(at_200.inferred_consumables, 1);
  EXPECT_EQ(at_200.inferred_durables, 1);
  EXPECT_EQ(at_200.unknown_items, 1);  // Never bought: no evidence.
  // With the whole year, item 1 is re-bought by everyone.
  const ConsumableItems at_end = ConsumablesAtCutoff(data, absl::FromUnixSeconds(400 * day));
  EXPECT_EQ(at_end.consumable, (std::vector<bool>{true, true, false}));
  // Labels win and are counted as such.
  data.items[1].durability = Durability::kDurable;
  const ConsumableItems labeled = ConsumablesAtCutoff(data, absl::FromUnixSeconds(400 * day));
  EXPECT_EQ(labeled.source, "catalog+inferred");
  EXPECT_EQ(labeled.labeled_items, 1);
  EXPECT_FALSE(labeled.consumable[1]);
}

// A catalog without any labels (the trainer infers them all) is scored,
// and the JSON says where the classes came from.
TEST(TimingEvaluationTest, UnlabeledCatalogIsScoredWithInferredConsumables) {
  SampleShopOptions options;
  options.num_customers = 400;
  options.num_items = 100;
  options.unlabeled_share = 1.0;
  const SampleShop shop = GenerateSampleShop(options);
  const absl::Time start =
      absl::FromCivil(options.first_day, absl::FixedTimeZone(9 * 3600));
  TimingSplit split;
  split.cutoff = start + absl::Hours(24 * 275);
  split.test_end = start + absl::Hours(24 * 365);
  absl::StatusOr<TimingEvaluation> evaluation =
      EvaluateShopTiming(shop.data, split, &shop);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status();
  ASSERT_TRUE(evaluation->consumables.has_value());
  EXPECT_EQ(evaluation->consumables->source, "inferred");
  EXPECT_EQ(evaluation->consumables->labeled_items, 0);
  // The generator's 50 consumables, from repeat buying alone.
  EXPECT_GT(evaluation->consumables->inferred_consumables, 40);
  EXPECT_LE(evaluation->consumables->inferred_consumables, 55);
  std::map<std::string, TimingMetrics> m = ByName(*evaluation);
  EXPECT_GT(m["repurchase_model"].rebuying_pairs, 100);
  EXPECT_LT(m["repurchase_model"].mae_days, m["item_median_interval"].mae_days);
  const nlohmann::ordered_json json =
      nlohmann::ordered_json::parse(TimingEvaluationJson(*evaluation));
  const nlohmann::ordered_json& durability = json.at("durability");
  EXPECT_EQ(durability.at("source"), "inferred");
  EXPECT_EQ(durability.at("inferred_from"), "purchases up to the cutoff");
  EXPECT_EQ(durability.at("labeled_items"), 0);
  EXPECT_EQ(durability.at("inferred_consumables"),
            evaluation->consumables->inferred_consumables);
  EXPECT_EQ(json.at("fit").at("bgnbd_boundary"), "none");
}

}  // namespace
}  // namespace recommender
