#include "recommender/data/shop_data.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(DurabilityTest, NamesAndTheirInverse) {
  EXPECT_EQ(DurabilityName(Durability::kDurable), "durable");
  EXPECT_EQ(DurabilityName(Durability::kConsumable), "consumable");
  EXPECT_EQ(DurabilityName(Durability::kUnknown), "");
  for (Durability d :
       {Durability::kUnknown, Durability::kDurable, Durability::kConsumable}) {
    EXPECT_EQ(ParseDurability(DurabilityName(d)), std::optional<Durability>(d));
  }
  EXPECT_EQ(ParseDurability("Durable"), std::nullopt);
  EXPECT_EQ(ParseDurability("durable "), std::nullopt);
  EXPECT_EQ(ParseDurability("perishable"), std::nullopt);
}

TEST(EventTypeTest, NamesAndTheirInverse) {
  EXPECT_EQ(EventTypeName(EventType::kView), "view");
  EXPECT_EQ(EventTypeName(EventType::kCart), "cart");
  EXPECT_EQ(EventTypeName(EventType::kPurchase), "purchase");
  for (EventType t : {EventType::kView, EventType::kCart, EventType::kPurchase}) {
    EXPECT_EQ(ParseEventType(EventTypeName(t)), std::optional<EventType>(t));
  }
  EXPECT_EQ(ParseEventType(""), std::nullopt);
  EXPECT_EQ(ParseEventType("PURCHASE"), std::nullopt);
  EXPECT_EQ(ParseEventType("order"), std::nullopt);
}

TEST(IndexIdsTest, MapsEachIdToItsRow) {
  std::vector<CatalogItem> items(3);
  items[0].id = "mug";
  items[1].id = "kettle";
  items[2].id = "beans";
  const IdIndex rows = IndexIds(items);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.at("mug"), 0);
  EXPECT_EQ(rows.at("kettle"), 1);
  EXPECT_EQ(rows.at("beans"), 2);
  EXPECT_FALSE(rows.contains("tea"));
}

// A repeated id keeps its first row (emplace does not overwrite).
TEST(IndexIdsTest, ARepeatedIdKeepsItsFirstRow) {
  std::vector<CustomerRecord> customers(3);
  customers[0].id = "alice";
  customers[1].id = "bob";
  customers[2].id = "alice";
  const IdIndex rows = IndexIds(customers);
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.at("alice"), 0);
}

}  // namespace
}  // namespace recommender
