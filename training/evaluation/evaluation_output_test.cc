#include "training/evaluation/evaluation_output.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// One customer whose relevant item is 1: `ranked` is the model's list.
RankingMetrics OneCase(std::vector<int32_t> ranked, bool shop) {
  static const std::vector<int32_t>* const kRelevant = new std::vector<int32_t>{1};
  static const absl::flat_hash_set<int32_t>* const kBefore =
      new absl::flat_hash_set<int32_t>{2};
  RankingMetrics metrics({1, 2}, /*num_items=*/4);
  RankedCase c{ranked, *kRelevant};
  if (shop) {
    c.bought_before = kBefore;
    c.owned_durables = kBefore;  // Item 2 is an owned durable.
  }
  metrics.Add(c);
  return metrics;
}

Evaluation Make(DatasetKind kind) {
  const bool shop = kind == DatasetKind::kShop;
  Evaluation e;
  e.dataset = shop ? "shop:/data" : "movielens:/data";
  e.kind = kind;
  e.split = *ParseSplitSpec("random-75-25");
  e.k = 2;
  e.ks = {1, 2};
  e.tasks = TasksFor(kind);
  e.split_info = JsonValue::Object();
  // popularity lists the hit first; default second, after an owned durable
  // (shop) or a miss.
  for (const auto& [name, ranked] :
       {std::pair<std::string, std::vector<int32_t>>{"popularity", {1, 2}},
        {"default", {2, 1}}}) {
    ModelEvaluation m;
    m.name = name;
    for (EvalTask task : e.tasks) m.tasks.emplace_back(task, OneCase(ranked, shop));
    e.models.push_back(std::move(m));
  }
  return e;
}

TEST(EvaluationJsonTest, MovieLensIsFlatPerModel) {
  const JsonValue json = EvaluationToJson(Make(DatasetKind::kMovieLens));
  EXPECT_EQ(json.Find("dataset")->string(), "movielens:/data");
  EXPECT_EQ(json.Find("k")->number(), 2);
  const JsonValue* pop = json.Find("models")->Find("popularity");
  ASSERT_NE(pop, nullptr);
  for (const char* metric : {"precision@2", "recall@2", "ndcg@2", "map@2",
                             "hit_rate@2", "coverage@2", "customers"}) {
    EXPECT_NE(pop->Find(metric), nullptr) << metric;
  }
  EXPECT_EQ(pop->Find("ndcg@2")->number(), 1);
  EXPECT_EQ(pop->Find("new"), nullptr);
  EXPECT_EQ(pop->Find("owned_durable_violations"), nullptr);
  EXPECT_EQ(json.Find("durability"), nullptr);
}

TEST(EvaluationJsonTest, ShopHasBothTasksAndViolationsPerModel) {
  const JsonValue json = EvaluationToJson(Make(DatasetKind::kShop));
  const JsonValue* ours = json.Find("models")->Find("default");
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(ours->Find("all"), nullptr);
  ASSERT_NE(ours->Find("new"), nullptr);
  EXPECT_NEAR(ours->Find("all")->Find("ndcg@2")->number(), 1 / std::log2(3.0), 1e-6);
  EXPECT_EQ(ours->Find("all")->Find("owned_durable_violation_rate@2")->number(), 0.5);
  EXPECT_EQ(ours->Find("owned_durable_violations")->number(), 1);
  EXPECT_NE(json.Find("durability"), nullptr);
}

TEST(BaselineWinsTest, ListsEveryHeadlineMetricABaselineWins) {
  const Evaluation e = Make(DatasetKind::kMovieLens);
  const std::vector<BaselineWin> wins = BaselineWins(e);
  // At k = 2 both lists hold the hit: popularity wins nDCG and MAP only.
  ASSERT_EQ(wins.size(), 2u);
  EXPECT_EQ(wins[0].metric, "ndcg@2");
  EXPECT_EQ(wins[0].model, "popularity");
  EXPECT_EQ(wins[0].value, 1);
  EXPECT_EQ(wins[1].metric, "map@2");
  EXPECT_EQ(DescribeWin(wins[1]), "popularity beats default on new map@2: 1.0000 vs 0.5000");
  const JsonValue json = EvaluationToJson(e);
  ASSERT_EQ(json.Find("baselines_beating_default")->elements().size(), 2u);
  EXPECT_NE(EvaluationTable(e).find("popularity beats default on new ndcg@2"),
            std::string::npos);
}

TEST(BaselineWinsTest, NoneWithoutADefaultModel) {
  Evaluation e = Make(DatasetKind::kShop);
  e.models.pop_back();
  EXPECT_TRUE(BaselineWins(e).empty());
}

}  // namespace
}  // namespace recommender
