#include "training/durability/durability_inference.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

constexpr int64_t kDay = kSecondsPerDay;
constexpr int64_t kStart = 1700000000;

CatalogItem Item(const std::string& category, Durability durability) {
  CatalogItem item;
  item.category = category;
  item.durability = durability;
  return item;
}

Event Purchase(int32_t customer, int32_t item, double day) {
  Event e;
  e.customer = customer;
  e.item = item;
  e.type = EventType::kPurchase;
  e.unix_seconds = kStart + static_cast<int64_t>(day * kDay);
  return e;
}

// `buyers` customers (numbered from `first_customer`) buy `item` on day 0;
// the first `repeaters` of them again on day 30. Adds a view on day 400 so
// that every buyer had time to re-buy.
void AddBuyers(int32_t item, int32_t first_customer, int buyers,
               int repeaters, std::vector<Event>* events) {
  for (int c = 0; c < buyers; ++c) {
    events->push_back(Purchase(first_customer + c, item, 0));
    if (c < repeaters) events->push_back(Purchase(first_customer + c, item, 30));
  }
  Event view = Purchase(0, item, 400);
  view.type = EventType::kView;
  events->push_back(view);
}

TEST(DurabilityInferenceTest, UnlabeledItemsLeanTowardsTheirCategorysLabels) {
  const std::vector<CatalogItem> items = {
      Item("kitchen/appliances", Durability::kDurable),
      Item("kitchen/appliances", Durability::kDurable),
      Item("kitchen/appliances", Durability::kConsumable),
      Item("kitchen/appliances", Durability::kUnknown),
      Item("kitchen/new-shelf", Durability::kUnknown),  // Parent decides.
      Item("food/coffee", Durability::kUnknown),        // No labels at all.
  };
  const std::vector<InferredDurability> inferred =
      InferDurabilityByCategory(items);
  EXPECT_EQ(inferred[0].durability, Durability::kDurable);
  EXPECT_FLOAT_EQ(inferred[0].confidence, 1.0f);
  // (2 + 1) / (3 + 2) durable.
  EXPECT_EQ(inferred[3].durability, Durability::kDurable);
  EXPECT_NEAR(inferred[3].confidence, 3.0 / 5.0, 1e-6);
  EXPECT_EQ(inferred[4].durability, Durability::kDurable);
  EXPECT_EQ(inferred[5].durability, Durability::kUnknown);
  EXPECT_FLOAT_EQ(inferred[5].confidence, 0.0f);
}

TEST(DurabilityInferenceTest, TieStaysUnknown) {
  const std::vector<CatalogItem> items = {
      Item("misc", Durability::kDurable),
      Item("misc", Durability::kConsumable),
      Item("misc", Durability::kUnknown),
  };
  EXPECT_EQ(InferDurabilityByCategory(items)[2].durability,
            Durability::kUnknown);
}

TEST(RepeatPurchaseStatsTest, CountsBuyersRepeatersAndGaps) {
  std::vector<Event> events = {
      Purchase(0, 0, 0),   Purchase(0, 0, 30),   Purchase(0, 0, 50),
      Purchase(1, 0, 5),                                   // Once.
      Purchase(2, 0, 10),  Purchase(2, 0, 10.2),           // One order.
      Purchase(3, 0, 195),                                 // Too late.
      Purchase(1, 1, 100),
  };
  Event cart = Purchase(4, 1, 200);  // The newest event; not a purchase.
  cart.type = EventType::kCart;
  events.push_back(cart);
  const std::vector<RepeatPurchaseStats> stats =
      ComputeRepeatPurchaseStats(3, events, {});
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats[0].buyers, 3);
  EXPECT_EQ(stats[0].repeat_buyers, 1);
  EXPECT_NEAR(stats[0].median_repeat_gap_days, 25, 1e-9);  // 30 and 20.
  EXPECT_EQ(stats[1].buyers, 1);
  EXPECT_EQ(stats[1].repeat_buyers, 0);
  EXPECT_EQ(stats[2].buyers, 0);
}

TEST(RepeatPurchaseStatsTest, LongCyclesWidenTheObservationWindow) {
  // Re-bought every 120 days: a buyer 100 days before the end had no time.
  const std::vector<Event> events = {
      Purchase(0, 0, 0), Purchase(0, 0, 120), Purchase(0, 0, 240),
      Purchase(1, 0, 200), Purchase(2, 0, 300)};
  const std::vector<RepeatPurchaseStats> stats =
      ComputeRepeatPurchaseStats(1, events, {});
  EXPECT_NEAR(stats[0].median_repeat_gap_days, 120, 1e-9);
  EXPECT_EQ(stats[0].buyers, 1);
  EXPECT_EQ(stats[0].repeat_buyers, 1);
}

TEST(RepeatShareThresholdTest, GeometricMeanOfTheLabeledClasses) {
  std::vector<CatalogItem> items;
  std::vector<RepeatPurchaseStats> stats;
  for (int i = 0; i < 3; ++i) {
    items.push_back(Item("a", Durability::kDurable));
    stats.push_back({33, 0, 0});  // Pooled: (0 + 0.5) / (99 + 1).
    items.push_back(Item("b", Durability::kConsumable));
    stats.push_back({33, 30, 20});  // Pooled: (90 + 0.5) / (99 + 1).
  }
  EXPECT_NEAR(RepeatShareThreshold(items, stats, {}),
              std::sqrt(0.005 * 0.905), 1e-9);
  // Too few labeled items with buyers: the default.
  stats[0].buyers = 0;
  EXPECT_DOUBLE_EQ(RepeatShareThreshold(items, stats, {}), 0.1);
}

TEST(DurabilityInferenceTest, RepeatBuyersMakeAConsumableOthersADurable) {
  const std::vector<CatalogItem> items = {
      Item("x", Durability::kUnknown), Item("y", Durability::kUnknown),
      Item("z", Durability::kUnknown), Item("w", Durability::kUnknown)};
  std::vector<Event> events;
  AddBuyers(0, 0, 20, 12, &events);   // 60% re-buy.
  AddBuyers(1, 100, 20, 0, &events);  // Nobody re-buys.
  AddBuyers(2, 200, 1, 0, &events);   // Too little to tell much.
  const std::vector<InferredDurability> inferred =
      InferDurability(items, events);
  EXPECT_EQ(inferred[0].durability, Durability::kConsumable);
  EXPECT_GT(inferred[0].confidence, 0.99);
  EXPECT_EQ(inferred[1].durability, Durability::kDurable);
  EXPECT_GT(inferred[1].confidence, 0.8);
  EXPECT_EQ(inferred[2].durability, Durability::kDurable);
  EXPECT_LT(inferred[2].confidence, 0.75);
  EXPECT_GT(inferred[2].confidence, 0.5);
  EXPECT_EQ(inferred[3].durability, Durability::kUnknown);  // No evidence.
}

TEST(DurabilityInferenceTest, StrongPurchaseEvidenceOverridesTheCategory) {
  // Category "tools" is labeled durable; item 3 is re-bought like a
  // consumable (blades, say), item 4 was bought once by one customer.
  std::vector<CatalogItem> items = {
      Item("tools", Durability::kDurable), Item("tools", Durability::kDurable),
      Item("tools", Durability::kDurable), Item("tools", Durability::kUnknown),
      Item("tools", Durability::kUnknown)};
  std::vector<Event> events;
  AddBuyers(3, 0, 30, 20, &events);
  AddBuyers(4, 100, 1, 0, &events);
  const std::vector<InferredDurability> inferred =
      InferDurability(items, events);
  EXPECT_EQ(inferred[3].durability, Durability::kConsumable);
  EXPECT_GT(inferred[3].confidence, 0.99);
  EXPECT_EQ(inferred[4].durability, Durability::kDurable);
  EXPECT_GT(inferred[4].confidence, 0.8);  // Category and purchases agree.
  // Labeled items keep their labels whatever the purchases say.
  AddBuyers(0, 200, 30, 20, &events);
  EXPECT_EQ(InferDurability(items, events)[0].durability, Durability::kDurable);
}

}  // namespace
}  // namespace recommender
