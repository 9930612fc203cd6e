#include "training/trainer/item_similarity_builder.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

Event Touch(int32_t customer, int32_t item, EventType type) {
  Event e;
  e.customer = customer;
  e.item = item;
  e.type = type;
  e.unix_seconds = 1700000000;
  return e;
}

// Three items, three customers; every kind of event counts once:
//   C0 viewed I0 twice and bought I1;  C1 carted I0 and bought I1;
//   C2 viewed I0 and bought I2.
// So the 0/1 touch matrix X has rows {0, 1}, {0, 1}, {0, 2} and
//   X^T X = [[3, 2, 1], [2, 2, 0], [1, 0, 1]].
ShopData Shop() {
  ShopData data;
  for (int i = 0; i < 3; ++i) {
    CatalogItem item;
    item.id = "I" + std::to_string(i);
    data.items.push_back(item);
    CustomerRecord customer;
    customer.id = "C" + std::to_string(i);
    data.customers.push_back(customer);
  }
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  data.events = {Touch(0, 0, EventType::kView),     Touch(0, 0, EventType::kView),
                 Touch(0, 1, EventType::kPurchase), Touch(1, 0, EventType::kCart),
                 Touch(1, 1, EventType::kPurchase), Touch(2, 0, EventType::kView),
                 Touch(2, 2, EventType::kPurchase)};
  return data;
}

// Item `item`'s (neighbours, weights) in `list`.
std::vector<int32_t> Neighbors(const snapshot::ItemNeighborList& list, int item) {
  return std::vector<int32_t>(list.neighbors().begin() + list.offsets(item),
                              list.neighbors().begin() + list.offsets(item + 1));
}
std::vector<float> Weights(const snapshot::ItemNeighborList& list, int item) {
  return std::vector<float>(list.weights().begin() + list.offsets(item),
                            list.weights().begin() + list.offsets(item + 1));
}

ItemSimilarityOptions KnnOnly() {
  ItemSimilarityOptions options;
  options.item_knn = true;
  options.knn.shrinkage = 0;
  options.threads = 1;
  return options;
}

ItemSimilarityOptions EaseOnly() {
  ItemSimilarityOptions options;
  options.ease = true;
  options.ease_model.l2 = 1;
  options.threads = 1;
  return options;
}

TEST(ItemSimilarityBuilderTest, NothingAskedNothingBuilt) {
  const absl::StatusOr<snapshot::ItemSimilarities> built =
      BuildItemSimilarities(Shop(), ItemSimilarityOptions());
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->lists_size(), 0);
}

// Cosines of the touch columns: |I0| = sqrt 3, |I1| = sqrt 2, |I2| = 1;
// I0.I1 = 2, I0.I2 = 1, I1.I2 = 0 (never together: not a neighbour).
TEST(ItemSimilarityBuilderTest, ItemKnnIsTheCosineOfWhoTouchedWhat) {
  const absl::StatusOr<snapshot::ItemSimilarities> built =
      BuildItemSimilarities(Shop(), KnnOnly());
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->lists_size(), 1);
  const snapshot::ItemNeighborList& knn = built->lists(0);
  EXPECT_EQ(knn.name(), "item_knn");
  ASSERT_EQ(knn.offsets_size(), 4);
  EXPECT_EQ(knn.offsets(0), 0);
  EXPECT_EQ(knn.weights_size(), knn.neighbors_size());

  EXPECT_EQ(Neighbors(knn, 0), (std::vector<int32_t>{1, 2}));
  ASSERT_EQ(Weights(knn, 0).size(), 2u);
  EXPECT_NEAR(Weights(knn, 0)[0], 2 / std::sqrt(6.0), 1e-5);
  EXPECT_NEAR(Weights(knn, 0)[1], 1 / std::sqrt(3.0), 1e-5);
  EXPECT_EQ(Neighbors(knn, 1), (std::vector<int32_t>{0}));
  EXPECT_NEAR(Weights(knn, 1)[0], 2 / std::sqrt(6.0), 1e-5);
  EXPECT_EQ(Neighbors(knn, 2), (std::vector<int32_t>{0}));
  EXPECT_NEAR(Weights(knn, 2)[0], 1 / std::sqrt(3.0), 1e-5);
}

TEST(ItemSimilarityBuilderTest, ItemKnnKeepsItsOptions) {
  ItemSimilarityOptions options = KnnOnly();
  options.knn.neighbors = 1;
  options.knn.shrinkage = 1;
  // The builder's thread count replaces the kNN options' own.
  options.knn.threads = 0;
  options.threads = 2;
  const absl::StatusOr<snapshot::ItemSimilarities> built =
      BuildItemSimilarities(Shop(), options);
  ASSERT_TRUE(built.ok()) << built.status();
  const snapshot::ItemNeighborList& knn = built->lists(0);
  EXPECT_EQ(Neighbors(knn, 0), (std::vector<int32_t>{1}));
  EXPECT_NEAR(Weights(knn, 0)[0], 2 / (std::sqrt(6.0) + 1), 1e-5);
  EXPECT_EQ(knn.offsets(3), 3);
}

// EASE with l2 = 1: P = (X^T X + I)^-1 = [[6, -4, -3], [-4, 7, 2],
// [-3, 2, 8]] / 13 and B_ij = -P_ij / P_jj, so the rows of B are
//   I0: (0, 4/7, 3/8), I1: (2/3, 0, -1/4), I2: (1/2, -2/7, 0);
// each item keeps its positive weights, largest first.
TEST(ItemSimilarityBuilderTest, EaseKeepsEachRowsLargestPositiveWeights) {
  const absl::StatusOr<snapshot::ItemSimilarities> built =
      BuildItemSimilarities(Shop(), EaseOnly());
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->lists_size(), 1);
  const snapshot::ItemNeighborList& ease = built->lists(0);
  EXPECT_EQ(ease.name(), "ease");
  ASSERT_EQ(ease.offsets_size(), 4);
  EXPECT_EQ(Neighbors(ease, 0), (std::vector<int32_t>{1, 2}));
  EXPECT_NEAR(Weights(ease, 0)[0], 4.0 / 7, 1e-5);
  EXPECT_NEAR(Weights(ease, 0)[1], 3.0 / 8, 1e-5);
  EXPECT_EQ(Neighbors(ease, 1), (std::vector<int32_t>{0}));
  EXPECT_NEAR(Weights(ease, 1)[0], 2.0 / 3, 1e-5);
  EXPECT_EQ(Neighbors(ease, 2), (std::vector<int32_t>{0}));
  EXPECT_NEAR(Weights(ease, 2)[0], 0.5, 1e-5);

  ItemSimilarityOptions one = EaseOnly();
  one.ease_neighbors = 1;
  const absl::StatusOr<snapshot::ItemSimilarities> cut =
      BuildItemSimilarities(Shop(), one);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_EQ(Neighbors(cut->lists(0), 0), (std::vector<int32_t>{1}));
  EXPECT_EQ(cut->lists(0).offsets(3), 3);
}

TEST(ItemSimilarityBuilderTest, BothListsInOrderAndEaseLeftOutAboveMaxItems) {
  ItemSimilarityOptions options = KnnOnly();
  options.ease = true;
  options.ease_model.l2 = 1;
  absl::StatusOr<snapshot::ItemSimilarities> built =
      BuildItemSimilarities(Shop(), options);
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->lists_size(), 2);
  EXPECT_EQ(built->lists(0).name(), "item_knn");
  EXPECT_EQ(built->lists(1).name(), "ease");

  options.ease_model.max_items = 2;  // The catalog has 3.
  built = BuildItemSimilarities(Shop(), options);
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->lists_size(), 1);
  EXPECT_EQ(built->lists(0).name(), "item_knn");
}

TEST(ItemSimilarityBuilderTest, BadModelOptionsAreErrors) {
  ItemSimilarityOptions knn = KnnOnly();
  knn.knn.neighbors = 0;
  EXPECT_EQ(BuildItemSimilarities(Shop(), knn).status().code(),
            absl::StatusCode::kInvalidArgument);
  ItemSimilarityOptions ease = EaseOnly();
  ease.ease_model.l2 = 0;
  EXPECT_EQ(BuildItemSimilarities(Shop(), ease).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
