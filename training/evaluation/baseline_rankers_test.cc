#include "training/evaluation/baseline_rankers.h"

#include <vector>

#include "gtest/gtest.h"
#include "training/evaluation/protocol/testing_shop.h"

namespace recommender {
namespace {

// Item 2: 3 buyers; item 0: 2 buyers (customer 0 twice); item 1: 1 buyer;
// items 3 and 4: nobody (item 4 only viewed).
ShopData Shop() {
  return TestShop(5, 3,
                  {TestPurchase(0, 0, 1), TestPurchase(0, 0, 2), TestPurchase(0, 2, 3),
                   TestPurchase(0, 1, 5), TestPurchase(1, 0, 1), TestPurchase(1, 2, 2),
                   TestPurchase(2, 2, 1), TestEvent(2, 4, EventType::kView, 1)});
}

TEST(PopularityRankerTest, ByDistinctBuyersThenRow) {
  EXPECT_EQ(ItemsByPopularity(Shop()), (std::vector<int32_t>{2, 0, 1, 3, 4}));
  PopularityRanker ranker(Shop());
  absl::flat_hash_set<int32_t> excluded = {0};
  absl::StatusOr<std::vector<int32_t>> list = ranker.Rank({2, {}, 3, &excluded});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{2, 1, 3}));
}

TEST(RebuyRankerTest, OwnHistoryByCountThenRecencyThenPopular) {
  RebuyRanker ranker(Shop());
  // Customer 0: item 0 twice; items 1 (t=5) and 2 (t=3) once each.
  absl::StatusOr<std::vector<int32_t>> list = ranker.Rank({0, {}, 5, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{0, 1, 2, 3, 4}));
  // Customer 2 bought only item 2; then popular items.
  list = ranker.Rank({2, {}, 3, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{2, 0, 1}));
  absl::flat_hash_set<int32_t> excluded = {2};
  list = ranker.Rank({2, {}, 2, &excluded});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{0, 1}));
}

TEST(RebuyRankerTest, PopularTiesOrderEquallyBoughtItemsByShopBuyers) {
  RebuyRanker ranker(Shop(), RebuyTieBreak::kPopularity);
  // Customer 0: item 0 twice; items 1 (1 buyer, newer) and 2 (3 buyers)
  // once each: item 2 before item 1, unlike by recency.
  absl::StatusOr<std::vector<int32_t>> list = ranker.Rank({0, {}, 5, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{0, 2, 1, 3, 4}));
  // Customer 1: items 0 (2 buyers) and 2 (3 buyers) once each.
  list = ranker.Rank({1, {}, 3, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{2, 0, 1}));
  RebuyRanker by_recency(Shop());
  list = by_recency.Rank({1, {}, 2, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{2, 0}));  // Item 2 at t=2, item 0 at t=1.
  absl::flat_hash_set<int32_t> excluded = {2};
  list = ranker.Rank({0, {}, 2, &excluded});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{0, 1}));
}

TEST(ScoreRankerTest, TopScoresWithoutExcluded) {
  ScoreRanker ranker(4, [](int32_t customer, absl::Span<float> scores) {
    for (size_t i = 0; i < scores.size(); ++i) {
      scores[i] = static_cast<float>((i * 3 + customer) % 4);
    }
  });
  // Customer 0: scores 0, 3, 2, 1.
  absl::StatusOr<std::vector<int32_t>> list = ranker.Rank({0, {}, 3, nullptr});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{1, 2, 3}));
  absl::flat_hash_set<int32_t> excluded = {1};
  list = ranker.Rank({0, {}, 2, &excluded});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int32_t>{2, 3}));
}

TEST(IalsScorerTest, DotProductOfFactors) {
  IalsModel model;
  model.user_factors = FactorMatrix(1, 2);
  model.user_factors << 1, 2;
  model.item_factors = FactorMatrix(2, 2);
  model.item_factors << 3, 4, -1, 0.5;
  std::vector<float> scores(2);
  IalsScorer(model)(0, absl::MakeSpan(scores));
  EXPECT_FLOAT_EQ(scores[0], 11);
  EXPECT_FLOAT_EQ(scores[1], 0);
}

}  // namespace
}  // namespace recommender
