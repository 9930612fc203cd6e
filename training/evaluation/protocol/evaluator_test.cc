#include "training/evaluation/protocol/evaluator.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
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

// A ranker with a fixed order of every item per customer: the first
// request.count items of it that are not excluded.
class ListRanker : public EvalRanker {
 public:
  explicit ListRanker(std::vector<std::vector<int32_t>> orders)
      : orders_(std::move(orders)) {}

  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override {
    std::vector<int32_t> out;
    for (int32_t item : orders_[request.customer]) {
      if (static_cast<int>(out.size()) >= request.count) break;
      if (request.excluded != nullptr && request.excluded->contains(item)) continue;
      out.push_back(item);
    }
    return out;
  }

 private:
  std::vector<std::vector<int32_t>> orders_;
};

// What re-offering each customer's purchases does on Split(): their own
// items, the most recent first, then the rest by buyers (0, 1, 2, 3).
ListRanker Rebuy() { return ListRanker({{1, 0, 2, 3}, {2, 0, 1, 3}}); }

// Fails for one customer row.
class FailingRanker : public EvalRanker {
 public:
  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override {
    if (request.customer == 1) return absl::InternalError("index broken");
    return std::vector<int32_t>{0};
  }
};

TEST(EvaluationCasesTest, RelevantSetsAndOwnedDurables) {
  const EvaluationCases cases(Split(), kDurability);
  ASSERT_EQ(cases.cases().size(), 2u);
  EXPECT_EQ(cases.num_items(), 4);
  const EvaluationCases::Case& c0 = cases.cases()[0];
  EXPECT_EQ(c0.customer, 0);
  EXPECT_EQ(c0.as_of, absl::FromUnixSeconds(kCutoff));
  EXPECT_EQ(c0.relevant_all, (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(c0.relevant_new, (std::vector<int32_t>{3}));
  EXPECT_EQ(c0.owned_durables, (absl::flat_hash_set<int32_t>{0}));
  EXPECT_EQ(c0.bought_before, (absl::flat_hash_set<int32_t>{0, 1}));
  EXPECT_TRUE(cases.cases()[1].relevant_new.empty());
}

TEST(EvaluationCasesTest, SelectKeepsThePassingCasesInOrder) {
  const EvaluationCases cases(Split(), kDurability);
  const EvaluationCases second =
      cases.Select([](size_t index) { return index == 1; });
  ASSERT_EQ(second.cases().size(), 1u);
  EXPECT_EQ(second.cases()[0].customer, 1);
  EXPECT_EQ(second.cases()[0].relevant_all, (std::vector<int32_t>{2}));
  EXPECT_EQ(second.num_items(), 4);
  EXPECT_TRUE(cases.Select([](size_t) { return false; }).cases().empty());
}

TEST(EvaluateRankerTest, AllTaskKeepsOwnHistoryAndCountsViolations) {
  const DataSplit split = Split();
  const EvaluationCases cases(split, kDurability);
  const ListRanker rebuy = Rebuy();
  absl::StatusOr<RankingMetrics> all =
      EvaluateRanker(rebuy, cases, EvalTask::kAll, {2});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->customers(), 2);
  // Customer 0's list: 1 then 0 -> the owned durable 0 is a violation; 1 is
  // a hit (of 1 and 3). Customer 1: 2 (the hit), then 0.
  EXPECT_EQ(all->owned_durable_violations(2), 1);
  EXPECT_NEAR(all->Value("recall@2"), (0.5 + 1) / 2, 1e-9);
}

TEST(EvaluateRankerTest, NewTaskRemovesBoughtItemsAndSkipsCustomersWithoutNew) {
  const DataSplit split = Split();
  const EvaluationCases cases(split, kDurability);
  const ListRanker rebuy = Rebuy();
  absl::StatusOr<RankingMetrics> fresh =
      EvaluateRanker(rebuy, cases, EvalTask::kNew, {1, 2}, /*threads=*/2);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->customers(), 1);
  // Customer 0 without 0 and 1: 2, then 3 (the hit, rank 2).
  EXPECT_EQ(fresh->Value("recall@1"), 0);
  EXPECT_EQ(fresh->Value("recall@2"), 1);
  EXPECT_EQ(fresh->Value("repeat_share@2"), 0);
  EXPECT_EQ(fresh->owned_durable_violations(2), 0);
}

TEST(EvaluateRankerTest, RankerErrorsNameTheCustomerRow) {
  const EvaluationCases cases(Split(), kDurability);
  const absl::StatusOr<RankingMetrics> all =
      EvaluateRanker(FailingRanker(), cases, EvalTask::kAll, {1});
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(all.status().message(), "customer row 1: index broken");
  // Customer 1 has no new item, so the "new" task never asks for it.
  EXPECT_TRUE(EvaluateRanker(FailingRanker(), cases, EvalTask::kNew, {1}).ok());
}

TEST(EvalTaskNameTest, Names) {
  EXPECT_EQ(std::string(EvalTaskName(EvalTask::kAll)), "all");
  EXPECT_EQ(std::string(EvalTaskName(EvalTask::kNew)), "new");
}

}  // namespace
}  // namespace recommender
