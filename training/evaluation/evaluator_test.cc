#include "training/evaluation/protocol/evaluator.h"

#include <vector>

#include "gtest/gtest.h"
#include "training/evaluation/baseline_rankers.h"
#include "training/evaluation/protocol/testing_shop.h"

namespace recommender {
namespace {

constexpr int64_t kCutoff = 1000;

// Items: 0 durable, 1 consumable, 2 and 3 unlabeled. Customer 0 owns the
// durable 0 and the consumable 1, then buys 1 again and the new item 3.
// Customer 1 buys 2 before and 2 again after: no new item.
DataSplit Split() {
  const ShopData data = TestShop(
      4, 2,
      {TestPurchase(0, 0, 10), TestPurchase(0, 1, 20), TestPurchase(0, 1, 1100),
       TestPurchase(0, 3, 1200), TestPurchase(1, 2, 10), TestPurchase(1, 2, 1100)});
  return SplitAtTime(data, absl::FromUnixSeconds(kCutoff));
}

const std::vector<Durability> kDurability = {
    Durability::kDurable, Durability::kConsumable, Durability::kUnknown,
    Durability::kUnknown};

TEST(EvaluationCasesTest, RelevantSetsAndOwnedDurables) {
  const EvaluationCases cases(Split(), kDurability);
  ASSERT_EQ(cases.cases().size(), 2u);
  const EvaluationCases::Case& c0 = cases.cases()[0];
  EXPECT_EQ(c0.relevant_all, (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(c0.relevant_new, (std::vector<int32_t>{3}));
  EXPECT_EQ(c0.owned_durables, (absl::flat_hash_set<int32_t>{0}));
  EXPECT_EQ(c0.bought_before, (absl::flat_hash_set<int32_t>{0, 1}));
  EXPECT_TRUE(cases.cases()[1].relevant_new.empty());
}

TEST(EvaluateRankerTest, AllTaskKeepsOwnHistoryAndCountsViolations) {
  const DataSplit split = Split();
  const EvaluationCases cases(split, kDurability);
  RebuyRanker rebuy(split.train);
  absl::StatusOr<RankingMetrics> all =
      EvaluateRanker(rebuy, cases, EvalTask::kAll, {2});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->customers(), 2);
  // Customer 0's list: 0 then 1 (once each; 1 is more recent) -> the owned
  // durable 0 is a violation; 1 is a hit. Customer 1: 2 (hit), then 0.
  EXPECT_EQ(all->owned_durable_violations(2), 1);
  EXPECT_NEAR(all->Value("recall@2"), (0.5 + 1) / 2, 1e-9);
}

TEST(EvaluateRankerTest, NewTaskRemovesBoughtItemsAndSkipsCustomersWithoutNew) {
  const DataSplit split = Split();
  const EvaluationCases cases(split, kDurability);
  RebuyRanker rebuy(split.train);
  absl::StatusOr<RankingMetrics> fresh =
      EvaluateRanker(rebuy, cases, EvalTask::kNew, {1, 2}, /*threads=*/2);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->customers(), 1);
  // Customer 0 without 0 and 1: popular 2, then 3 (the hit, rank 2).
  EXPECT_EQ(fresh->Value("recall@1"), 0);
  EXPECT_EQ(fresh->Value("recall@2"), 1);
  EXPECT_EQ(fresh->Value("repeat_share@2"), 0);
  EXPECT_EQ(fresh->owned_durable_violations(2), 0);
}

}  // namespace
}  // namespace recommender
