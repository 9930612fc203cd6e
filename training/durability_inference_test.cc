#include "training/durability_inference.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

CatalogItem Item(const std::string& category, Durability durability) {
  CatalogItem item;
  item.category = category;
  item.durability = durability;
  return item;
}

TEST(DurabilityInferenceTest, UnlabeledItemsTakeTheirCategorysMajority) {
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
  EXPECT_EQ(inferred[3].durability, Durability::kDurable);
  EXPECT_NEAR(inferred[3].confidence, 2.0 / 3.0, 1e-6);
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

}  // namespace
}  // namespace recommender
