#include "training/durability/durability_quality.h"

#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

CatalogItem Item(Durability label) {
  CatalogItem item;
  item.id = "I";
  item.durability = label;
  return item;
}

constexpr Durability kD = Durability::kDurable;
constexpr Durability kC = Durability::kConsumable;
constexpr Durability kU = Durability::kUnknown;

TEST(DurabilityQualityTest, PrecisionAndRecallOverUnlabeledItems) {
  // Item 0 is labeled (ignored). Unlabeled: truth D D D C C; guesses
  // D D C C unknown.
  const std::vector<CatalogItem> items = {Item(kD), Item(kU), Item(kU),
                                          Item(kU), Item(kU), Item(kU)};
  const std::vector<InferredDurability> inferred = {
      {kC, 1}, {kD, 0.9f}, {kD, 0.8f}, {kC, 0.7f}, {kC, 0.6f}, {kU, 0}};
  const std::vector<Durability> truth = {kD, kD, kD, kD, kC, kC};
  const absl::StatusOr<DurabilityQuality> q =
      ScoreInferredDurability(items, inferred, truth);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->unlabeled_items, 5);
  EXPECT_EQ(q->inferred_items, 4);
  EXPECT_DOUBLE_EQ(q->accuracy, 3.0 / 5);
  EXPECT_EQ(q->durable.predicted, 2);
  EXPECT_EQ(q->durable.actual, 3);
  EXPECT_DOUBLE_EQ(q->durable.precision, 1.0);
  EXPECT_DOUBLE_EQ(q->durable.recall, 2.0 / 3);
  EXPECT_EQ(q->consumable.predicted, 2);
  EXPECT_EQ(q->consumable.actual, 2);
  EXPECT_DOUBLE_EQ(q->consumable.precision, 0.5);
  EXPECT_DOUBLE_EQ(q->consumable.recall, 0.5);
}

TEST(DurabilityQualityTest, NoUnlabeledItemsScoresZeroes) {
  const absl::StatusOr<DurabilityQuality> q =
      ScoreInferredDurability({Item(kC)}, {{kC, 1}}, {kC});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->unlabeled_items, 0);
  EXPECT_EQ(q->accuracy, 0);
  EXPECT_EQ(q->durable.precision, 0);
}

TEST(DurabilityQualityTest, RejectsMismatchedSizesAndUnknownTruth) {
  EXPECT_EQ(ScoreInferredDurability({Item(kU)}, {}, {kC}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ScoreInferredDurability({Item(kU)}, {{kC, 1}}, {kU}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
