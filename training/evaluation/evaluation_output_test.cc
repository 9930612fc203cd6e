#include "training/evaluation/evaluation_output.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "training/internal/json_output.h"

namespace recommender {
namespace {

// The evaluation's JSON as the tool prints it, parsed back (keys in order).
nlohmann::ordered_json PrintedJson(const Evaluation& evaluation) {
  return nlohmann::ordered_json::parse(PrintJson(EvaluationToJson(evaluation)));
}

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
  e.split_info = {{"spec", "random-75-25"}};
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
  const nlohmann::ordered_json json = PrintedJson(Make(DatasetKind::kMovieLens));
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, std::vector<std::string>({"dataset", "split", "k", "models",
                                            "baselines_beating_default"}));
  EXPECT_EQ(json.at("dataset"), "movielens:/data");
  EXPECT_EQ(json.at("split").at("spec"), "random-75-25");
  EXPECT_EQ(json.at("k"), 2);
  ASSERT_TRUE(json.at("models").contains("popularity"));
  const nlohmann::ordered_json& pop = json.at("models").at("popularity");
  std::vector<std::string> fields;
  for (const auto& [key, value] : pop.items()) fields.push_back(key);
  EXPECT_EQ(fields, std::vector<std::string>({"precision@2", "recall@2", "ndcg@2",
                                              "map@2", "hit_rate@2", "coverage@2",
                                              "customers", "train_seconds"}));
  EXPECT_EQ(pop.at("ndcg@2"), 1);
  EXPECT_EQ(pop.at("customers"), 1);
  EXPECT_FALSE(pop.contains("new"));
  EXPECT_FALSE(pop.contains("owned_durable_violations"));
  EXPECT_FALSE(json.contains("durability"));
}

TEST(EvaluationJsonTest, ShopHasBothTasksAndViolationsPerModel) {
  const nlohmann::ordered_json json = PrintedJson(Make(DatasetKind::kShop));
  ASSERT_TRUE(json.at("models").contains("default"));
  const nlohmann::ordered_json& ours = json.at("models").at("default");
  ASSERT_TRUE(ours.contains("all"));
  ASSERT_TRUE(ours.contains("new"));
  // Six significant digits, as printed.
  EXPECT_EQ(ours.at("all").at("ndcg@2").get<double>(), 0.63093);
  EXPECT_NEAR(ours.at("all").at("ndcg@2").get<double>(), 1 / std::log2(3.0), 1e-5);
  EXPECT_EQ(ours.at("all").at("owned_durable_violation_rate@2"), 0.5);
  EXPECT_EQ(ours.at("owned_durable_violations"), 1);
  ASSERT_TRUE(json.contains("durability"));
  EXPECT_EQ(json.at("durability").at("violations_judged_by"), "");
  EXPECT_FALSE(json.at("durability").contains("inference"));
}

// Names and reasons are free text: quotes, backslashes and line breaks in
// them still give valid JSON that reads back the same.
TEST(EvaluationJsonTest, FreeTextIsEscaped) {
  Evaluation e = Make(DatasetKind::kShop);
  e.dataset = "shop:/data/\"quoted\"\\dir\nnext";
  e.skipped = {{"ease", "catalog of 70000 items > --ease_max_items \"50000\""}};
  e.parameters = {{"default", {{"config_file", "a\tb.conf"}}}};
  const nlohmann::ordered_json json = PrintedJson(e);
  EXPECT_EQ(json.at("dataset"), e.dataset);
  EXPECT_EQ(json.at("skipped_models").at("ease"), e.skipped[0].second);
  EXPECT_EQ(json.at("parameters").at("default").at("config_file"), "a\tb.conf");
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
  const nlohmann::ordered_json wins_json =
      PrintedJson(e).at("baselines_beating_default");
  ASSERT_EQ(wins_json.size(), 2u);
  EXPECT_EQ(wins_json[1], nlohmann::ordered_json::parse(
                              R"({"task": "new", "metric": "map@2", "model": "popularity",
                                  "value": 1, "default": 0.5})"));
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
