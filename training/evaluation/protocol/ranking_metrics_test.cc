#include "training/evaluation/protocol/ranking_metrics.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// Customer 1: ranked 1..5, relevant {2, 5, 9}: hits at ranks 2 and 5.
// Customer 2: ranked {7}, relevant {7}: a hit at rank 1, list shorter than k.
class RankingMetricsTest : public ::testing::Test {
 protected:
  RankingMetricsTest() : metrics_({3, 5}, /*num_items=*/10) {
    metrics_.Add({ranked1_, relevant1_, &before1_, &durables1_});
    metrics_.Add({ranked2_, relevant2_, &before2_, &durables2_});
  }

  const std::vector<int32_t> ranked1_ = {1, 2, 3, 4, 5};
  const std::vector<int32_t> relevant1_ = {2, 5, 9};
  const absl::flat_hash_set<int32_t> before1_ = {1, 9};
  const absl::flat_hash_set<int32_t> durables1_ = {1};
  const std::vector<int32_t> ranked2_ = {7};
  const std::vector<int32_t> relevant2_ = {7};
  const absl::flat_hash_set<int32_t> before2_ = {};
  const absl::flat_hash_set<int32_t> durables2_ = {};
  RankingMetrics metrics_;
};

TEST_F(RankingMetricsTest, PrecisionDividesByKEvenForShortLists) {
  EXPECT_NEAR(metrics_.Value("precision@5"), (2.0 / 5 + 1.0 / 5) / 2, 1e-9);
  EXPECT_NEAR(metrics_.Value("precision@3"), (1.0 / 3 + 1.0 / 3) / 2, 1e-9);
}

TEST_F(RankingMetricsTest, Recall) {
  EXPECT_NEAR(metrics_.Value("recall@5"), (2.0 / 3 + 1) / 2, 1e-9);
  EXPECT_NEAR(metrics_.Value("recall@3"), (1.0 / 3 + 1) / 2, 1e-9);
}

TEST_F(RankingMetricsTest, NdcgWithIdealOverMinKAndRelevant) {
  const double ideal3 = 1 + 1 / std::log2(3.0) + 0.5;  // 3 relevant items
  const double dcg5 = 1 / std::log2(3.0) + 1 / std::log2(6.0);
  EXPECT_NEAR(metrics_.Value("ndcg@5"), (dcg5 / ideal3 + 1) / 2, 1e-9);
  EXPECT_NEAR(metrics_.Value("ndcg@3"), (1 / std::log2(3.0) / ideal3 + 1) / 2,
              1e-9);
  // Hand-computed: 0.63093 + 0.38685 = 1.01778 over 2.13093 = 0.47763.
  EXPECT_NEAR(dcg5 / ideal3, 0.47763, 1e-5);
}

TEST_F(RankingMetricsTest, MapDividesByRelevantCount) {
  EXPECT_NEAR(metrics_.Value("map@5"), ((0.5 + 2.0 / 5) / 3 + 1) / 2, 1e-9);
  EXPECT_NEAR(metrics_.Value("map@3"), ((0.5) / 3 + 1) / 2, 1e-9);
}

TEST_F(RankingMetricsTest, HitRateAndCoverage) {
  EXPECT_EQ(metrics_.Value("hit_rate@3"), 1);
  EXPECT_NEAR(metrics_.Value("coverage@3"), 4.0 / 10, 1e-9);  // 1 2 3 7
  EXPECT_NEAR(metrics_.Value("coverage@5"), 6.0 / 10, 1e-9);  // 1..5 and 7
  EXPECT_EQ(metrics_.customers(), 2);
}

TEST_F(RankingMetricsTest, ViolationsAndRepeatBreakdown) {
  // Item 1 is an owned durable and a re-buy; 6 items listed at k = 5.
  EXPECT_EQ(metrics_.owned_durable_violations(5), 1);
  EXPECT_NEAR(metrics_.Value("owned_durable_violation_rate@5"), 1.0 / 6, 1e-9);
  EXPECT_NEAR(metrics_.Value("repeat_share@5"), 1.0 / 6, 1e-9);
  // Only customer 1 has a relevant re-buy (9), not listed.
  EXPECT_EQ(metrics_.Value("recall_repeat@5"), 0);
  // New relevant items: customer 1 {2, 5} both hit; customer 2 {7} hit.
  EXPECT_NEAR(metrics_.Value("recall_new@5"), 1, 1e-9);
  EXPECT_NEAR(metrics_.Value("recall_new@3"), (0.5 + 1) / 2, 1e-9);
}

TEST_F(RankingMetricsTest, KeepsEachCustomersNdcgInOrder) {
  const double ideal3 = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0);
  const double dcg5 = 1 / std::log2(3.0) + 1 / std::log2(6.0);
  ASSERT_EQ(metrics_.CustomerNdcg(5).size(), 2u);
  EXPECT_NEAR(metrics_.CustomerNdcg(5)[0], dcg5 / ideal3, 1e-9);
  EXPECT_NEAR(metrics_.CustomerNdcg(5)[1], 1, 1e-9);
  EXPECT_TRUE(metrics_.CustomerNdcg(4).empty());
}

TEST(RankingMetricsNoHitsTest, AllZeroWithoutHits) {
  RankingMetrics metrics({10}, 100);
  const std::vector<int32_t> ranked = {1, 2};
  const std::vector<int32_t> relevant = {3};
  metrics.Add({ranked, relevant});
  for (const char* name : {"precision@10", "recall@10", "ndcg@10", "map@10",
                           "hit_rate@10"}) {
    EXPECT_EQ(metrics.Value(name), 0) << name;
  }
  EXPECT_NEAR(metrics.Value("coverage@10"), 0.02, 1e-9);
  // Without the sets, the breakdowns are not reported.
  EXPECT_EQ(metrics.Values().count("repeat_share@10"), 0);
  EXPECT_EQ(metrics.Values().count("owned_durable_violation_rate@10"), 0);
}

}  // namespace
}  // namespace recommender
