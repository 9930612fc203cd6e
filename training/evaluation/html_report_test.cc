#include "training/evaluation/html_report.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

// One test customer whose relevant item is 0, in a catalog of 4.
ModelEvaluation Model(const std::string& name, std::vector<int32_t> ranked) {
  RankingMetrics metrics({1, 2}, 4);
  const std::vector<int32_t> relevant = {0};
  metrics.Add({ranked, relevant, nullptr, nullptr});
  ModelEvaluation model;
  model.name = name;
  model.tasks = {{EvalTask::kNew, metrics}};
  return model;
}

// MovieLens-style: the "new" task only, k = 2.
Evaluation TwoModels(std::vector<int32_t> ours, std::vector<int32_t> theirs) {
  Evaluation e;
  e.dataset = "movielens:/data/a&b";
  e.kind = DatasetKind::kMovieLens;
  e.split.text = "random-80-20";
  e.k = 2;
  e.ks = {1, 2};
  e.tasks = {EvalTask::kNew};
  e.models = {Model("default", std::move(ours)), Model("popular", std::move(theirs))};
  return e;
}

// default lists the hit first, popular second: they tie on precision,
// recall, hit rate and coverage; default alone is best on nDCG and MAP.
TEST(HtmlReportTest, BestValuesInBoldAndNoBaselineWins) {
  const std::string html = RenderHtmlReport(TwoModels({0, 1}, {2, 0}));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>Evaluation: movielens:/data/a&amp;b</title>"),
            std::string::npos);
  EXPECT_NE(html.find("split <code>random-80-20</code>, k = 2."), std::string::npos);
  EXPECT_NE(html.find("<p>Nowhere: the default model scores highest"), std::string::npos);
  // Six columns; default best in all, popular in the four ties.
  EXPECT_EQ(Count(html, "<td class=\"best\">"), 10);
  EXPECT_NE(html.find("<tr><td>default</td><td class=\"best\">0.5000</td>"
                      "<td class=\"best\">1.0000</td><td class=\"best\">1.0000</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><td>popular</td><td class=\"best\">0.5000</td>"
                      "<td class=\"best\">1.0000</td><td>0.6309</td><td>0.5000</td>"),
            std::string::npos)
      << html;
  // nDCG, recall and precision against k; no epoch curves were given.
  EXPECT_EQ(Count(html, "<svg"), 3);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 15), "</body></html>\n");
}

TEST(HtmlReportTest, WhereABaselineWinsItIsListed) {
  const std::string html = RenderHtmlReport(TwoModels({2, 0}, {0, 3}));
  EXPECT_EQ(html.find("Nowhere"), std::string::npos);
  EXPECT_NE(html.find("<li>popular beats default on new ndcg@2: 1.0000 vs 0.6309</li>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<li>popular beats default on new map@2: 1.0000 vs 0.5000</li>"),
            std::string::npos);
  EXPECT_EQ(Count(html, "<li>"), 2);
}

TEST(HtmlReportTest, EpochCurvesWhenAModelHasThem) {
  Evaluation e = TwoModels({0, 1}, {2, 0});
  e.models[0].ndcg_by_epoch[EvalTask::kNew] = {0.2, 0.5, 0.7};
  const std::string html = RenderHtmlReport(e);
  EXPECT_EQ(Count(html, "<svg"), 4);
  EXPECT_NE(html.find("ndcg@2 by training epoch, task new"), std::string::npos);
}

TEST(HtmlReportTest, WritesIndexHtml) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "report/nested");
  const Evaluation e = TwoModels({0, 1}, {2, 0});
  const absl::StatusOr<std::string> path = WriteHtmlReport(e, dir);
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, JoinPath(dir, "index.html"));
  const absl::StatusOr<std::string> text = ReadFileToString(*path);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, RenderHtmlReport(e));
}

}  // namespace
}  // namespace recommender
