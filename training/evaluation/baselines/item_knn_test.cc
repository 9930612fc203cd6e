#include "training/evaluation/baselines/item_knn.h"

#include <cmath>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

std::vector<int32_t> Ids(absl::Span<const int32_t> span) {
  return {span.begin(), span.end()};
}

void ExpectNear(absl::Span<const float> actual, std::vector<float> expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(actual[i], expected[i], 1e-6) << "at " << i;
  }
}

bool Mentions(const absl::Status& status, absl::string_view word) {
  return absl::StrContains(status.message(), word);
}

// Customers: 0 bought {0, 1}, 1 bought {0, 1, 2}, 2 bought {2}.
// Columns: item 0 = {0, 1}, item 1 = {0, 1}, item 2 = {1, 2}, so
// |r_i| = sqrt(2) for all, and the dot products are 01: 2, 02: 1, 12: 1.
InteractionMatrix SmallMatrix(float customer1_item0 = 1) {
  return InteractionMatrix::FromInteractions(
      3, 3,
      {{0, 0, 1}, {0, 1, 1}, {1, 0, customer1_item0}, {1, 1, 1}, {1, 2, 1},
       {2, 2, 1}});
}

ItemKnnModel Train(const InteractionMatrix& matrix, ItemKnnOptions options) {
  absl::StatusOr<ItemKnnModel> model = ItemKnnModel::Train(matrix, options);
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

TEST(ItemKnnTest, CosineWithoutShrinkage) {
  const ItemKnnModel model = Train(SmallMatrix(), {100, 0, 1});
  // 2 / (sqrt2 sqrt2) = 1 and 1 / 2 = 0.5.
  EXPECT_EQ(Ids(model.Neighbors(0)), std::vector<int32_t>({1, 2}));
  ExpectNear(model.Similarities(0), {1, 0.5});
  // Tie between 0 and 1 goes to the lower index.
  EXPECT_EQ(Ids(model.Neighbors(2)), std::vector<int32_t>({0, 1}));
  ExpectNear(model.Similarities(2), {0.5, 0.5});
}

TEST(ItemKnnTest, ShrinkageInTheDenominator) {
  const ItemKnnModel model = Train(SmallMatrix(), {100, 2, 1});
  // 2 / (2 + 2) and 1 / (2 + 2).
  ExpectNear(model.Similarities(0), {0.5, 0.25});
}

TEST(ItemKnnTest, KeepsOnlyTheTopNeighbors) {
  const ItemKnnModel model = Train(SmallMatrix(), {1, 0, 2});
  EXPECT_EQ(Ids(model.Neighbors(0)), std::vector<int32_t>({1}));
  EXPECT_EQ(Ids(model.Neighbors(1)), std::vector<int32_t>({0}));
  EXPECT_EQ(Ids(model.Neighbors(2)), std::vector<int32_t>({0}));
}

TEST(ItemKnnTest, ValueWeightedOrBinary) {
  // Customer 1's item 0 now has value 2: |r_0| = sqrt(5), r_0 . r_1 = 3.
  const ItemKnnModel weighted = Train(SmallMatrix(2), {100, 0, 1, false});
  EXPECT_NEAR(weighted.Similarities(1)[0], 3 / std::sqrt(10.0f), 1e-6);
  const ItemKnnModel binary = Train(SmallMatrix(2), {100, 0, 1, true});
  EXPECT_NEAR(binary.Similarities(1)[0], 1, 1e-6);
}

TEST(ItemKnnTest, ScoresSumHistoryWeightedSimilarities) {
  const ItemKnnModel model = Train(SmallMatrix(), {100, 0, 1, false});
  std::vector<float> scores(3, -7);
  const std::vector<int32_t> items = {0, 2};
  const std::vector<float> values = {1, 2};
  model.Score(items, values, absl::MakeSpan(scores));
  // Item 0: 2 * s20 = 1; item 1: 1 * s01 + 2 * s21 = 2; item 2: 1 * s02.
  ExpectNear(scores, {1, 2, 0.5});
  model.Score({}, {}, absl::MakeSpan(scores));
  ExpectNear(scores, {0, 0, 0});
}

TEST(ItemKnnTest, SameModelWhateverTheThreadCount) {
  std::vector<Interaction> entries;
  for (int32_t u = 0; u < 40; ++u) {
    for (int32_t i = u % 5; i < 30; i += 1 + u % 4) {
      entries.push_back({u, i, 1.0f + (u * i) % 3});
    }
  }
  const InteractionMatrix matrix =
      InteractionMatrix::FromInteractions(40, 30, entries);
  const ItemKnnModel one = Train(matrix, {5, 1, 1});
  const ItemKnnModel two = Train(matrix, {5, 1, 2});
  for (int32_t i = 0; i < 30; ++i) {
    EXPECT_EQ(Ids(one.Neighbors(i)), Ids(two.Neighbors(i)));
    EXPECT_EQ(one.Neighbors(i).size(), 5u);
  }
}

TEST(ItemKnnTest, RejectsBadOptions) {
  const InteractionMatrix matrix = SmallMatrix();
  EXPECT_TRUE(Mentions(ItemKnnModel::Train(matrix, {0, 10, 1}).status(), "neighbors"));
  EXPECT_TRUE(Mentions(ItemKnnModel::Train(matrix, {10, -1, 1}).status(), "shrinkage"));
  EXPECT_TRUE(Mentions(ItemKnnModel::Train(matrix, {10, 10, 0}).status(), "threads"));
}

}  // namespace
}  // namespace recommender
