#include "training/evaluation/evaluation_run.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"
#include "tests/testing/shared_data.h"
#include "training/evaluation/dataset_input.h"
#include "training/evaluation/evaluation_output.h"
#include "training/evaluation/html_report.h"
#include "training/internal/json_output.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {
namespace {

// The evaluation's JSON as the tool prints it, parsed back.
nlohmann::json PrintedJson(const Evaluation& evaluation) {
  return nlohmann::json::parse(PrintJson(EvaluationToJson(evaluation)));
}

// Writes a small generated shop (300 customers, 80 items, 150 days from
// 2025-10-01, with its ground truth) to TEST_TMPDIR/`name`; returns the
// folder.
std::string WriteSmallShop(const std::string& name, uint64_t seed,
                           double unlabeled_share) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  SampleShopOptions shop;
  shop.num_customers = 300;
  shop.num_items = 80;
  shop.num_days = 150;
  shop.unlabeled_share = unlabeled_share;
  shop.seed = seed;
  EXPECT_TRUE(WriteSampleShop(GenerateSampleShop(shop), dir).ok());
  return dir;
}

// Small models, a time split near the end of the small shop.
EvaluationOptions SmallOptions() {
  EvaluationOptions options;
  options.split = *ParseSplitSpec("time:2026-02-01");
  options.trainer.ials.factors = 8;
  options.trainer.ials.epochs = 3;
  options.trainer.timing.fit_pareto_nbd = false;
  return options;
}

// A small generated shop (with its ground truth) evaluated end to end on a
// time split with every model.
class ShopEvaluationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(WriteSmallShop("shop", 7, 0.2));
  }

  static EvaluationOptions Options() {
    EvaluationOptions options = SmallOptions();
    options.k = 5;
    options.report_ks = {1, 5, 10};
    options.epoch_curves = true;
    return options;
  }

  static Evaluation Run(const EvaluationOptions& options) {
    absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + *dir_);
    EXPECT_TRUE(dataset.ok()) << dataset.status();
    EXPECT_TRUE(dataset->true_durability.has_value());
    std::ostringstream log;
    absl::StatusOr<Evaluation> evaluation = RunEvaluation(*dataset, options, log);
    EXPECT_TRUE(evaluation.ok()) << evaluation.status();
    return *std::move(evaluation);
  }

  static std::string* dir_;
};

std::string* ShopEvaluationTest::dir_ = nullptr;

TEST_F(ShopEvaluationTest, JsonHasEveryModelBothTasksAndViolations) {
  const Evaluation evaluation = Run(Options());
  const nlohmann::json json = PrintedJson(evaluation);
  ASSERT_TRUE(json.contains("dataset"));
  EXPECT_EQ(json.at("dataset").get<std::string>(), "shop:" + *dir_);
  EXPECT_EQ(json.at("k").get<double>(), 5);
  ASSERT_TRUE(json.contains("split"));
  EXPECT_GT(json.at("split").at("test_customers").get<double>(), 20);
  ASSERT_TRUE(json.contains("models"));
  const nlohmann::json& models = json.at("models");
  for (const char* name : {"popularity", "rebuy", "rebuy_popular", "ials", "itemknn",
                           "ease", "default"}) {
    ASSERT_TRUE(models.contains(name)) << name;
    const nlohmann::json& model = models.at(name);
    for (const char* task : {"all", "new"}) {
      ASSERT_TRUE(model.contains(task)) << name << " " << task;
      const nlohmann::json& metrics = model.at(task);
      for (const std::string& metric : MetricNamesAt(5, /*shop=*/true)) {
        ASSERT_TRUE(metrics.contains(metric)) << name << " " << task << " " << metric;
        const nlohmann::json& value = metrics.at(metric);
        EXPECT_GE(value.get<double>(), 0);
        EXPECT_LE(value.get<double>(), 1);
      }
    }
    ASSERT_TRUE(model.contains("owned_durable_violations")) << name;
    // The "new" task removes everything bought before.
    EXPECT_EQ(model.at("new").at("repeat_share@5").get<double>(), 0) << name;
  }
  // The served model never lists an owned durable; the re-buy baseline,
  // which re-offers the customer's history, does.
  EXPECT_EQ(models.at("default").at("owned_durable_violations").get<double>(), 0);
  EXPECT_GT(models.at("rebuy").at("owned_durable_violations").get<double>(), 0);
  // The re-buy baseline lists the customer's own purchases first.
  EXPECT_GT(models.at("rebuy").at("all").at("repeat_share@5").get<double>(),
            models.at("popularity").at("all").at("repeat_share@5").get<double>());
  // The settings behind the numbers: the seed the default model used.
  ASSERT_TRUE(json.contains("parameters"));
  const nlohmann::json& parameters = json.at("parameters");
  ASSERT_TRUE(parameters.contains("default"));
  EXPECT_EQ(parameters.at("default").at("epochs").get<std::string>(), "3");
  EXPECT_EQ(parameters.at("baseline_input").at("view_weight").get<double>(), 1);
  ASSERT_TRUE(json.contains("durability"));
  const nlohmann::json& durability = json.at("durability");
  EXPECT_EQ(durability.at("violations_judged_by").get<std::string>(), "ground_truth");
  ASSERT_TRUE(durability.contains("inference"));
  const nlohmann::json& inference = durability.at("inference");
  EXPECT_GT(inference.at("unlabeled_items").get<double>(), 0);
  // One curve point per epoch for the iALS-based models.
  for (const ModelEvaluation& model : evaluation.models) {
    const bool ials_based = model.name == "ials" || model.name == "default";
    EXPECT_EQ(model.ndcg_by_epoch.size(), ials_based ? 2u : 0u) << model.name;
    for (const auto& [task, curve] : model.ndcg_by_epoch) {
      EXPECT_EQ(curve.size(), 3u) << model.name;
    }
  }
}

TEST_F(ShopEvaluationTest, SameSeedSameNumbers) {
  EvaluationOptions options = Options();
  options.models = {"ials", "default"};
  options.epoch_curves = false;
  const Evaluation a = Run(options);
  const Evaluation b = Run(options);
  ASSERT_EQ(a.models.size(), 2u);
  for (size_t m = 0; m < a.models.size(); ++m) {
    for (size_t t = 0; t < a.models[m].tasks.size(); ++t) {
      EXPECT_EQ(a.models[m].tasks[t].second.Values(),
                b.models[m].tasks[t].second.Values());
    }
  }
}

TEST_F(ShopEvaluationTest, TableAndReportShowEveryModel) {
  EvaluationOptions options = Options();
  options.models = {"popularity", "default"};
  const Evaluation evaluation = Run(options);
  const std::string table = EvaluationTable(evaluation);
  EXPECT_NE(table.find("task all"), std::string::npos) << table;
  EXPECT_NE(table.find("task new"), std::string::npos) << table;
  EXPECT_NE(table.find("popularity"), std::string::npos) << table;
  const std::string html = RenderHtmlReport(evaluation);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("ndcg@5 by training epoch"), std::string::npos);
  EXPECT_NE(html.find("Where a baseline beats the default model"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://") , html.find("http://www.w3.org/2000/svg"));
}

TEST_F(ShopEvaluationTest, UnknownModelAndBadKAreRejected) {
  absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + *dir_);
  ASSERT_TRUE(dataset.ok());
  std::ostringstream log;
  EvaluationOptions options = Options();
  options.models = {"bpr"};
  absl::StatusOr<Evaluation> evaluation = RunEvaluation(*dataset, options, log);
  ASSERT_FALSE(evaluation.ok());
  EXPECT_NE(evaluation.status().message().find("unknown model \"bpr\""),
            std::string::npos);
  options = Options();
  options.k = 101;
  EXPECT_TRUE(absl::IsInvalidArgument(RunEvaluation(*dataset, options, log).status()));
  EXPECT_FALSE(LoadEvalDataset("csv:/tmp").ok());
}

TEST_F(ShopEvaluationTest, TheTuningObjectiveCanBeOneTask) {
  EvaluationOptions options = Options();
  options.models = {"default"};
  options.epoch_curves = false;
  options.tuning.enabled = true;
  options.tuning.max_ials_trials = 2;
  options.tuning.ranker = false;
  options.tuning.validation.min_customers = 10;
  options.tuning.tasks = {EvalTask::kNew};
  const nlohmann::json json = PrintedJson(Run(options));
  const nlohmann::json& tuning = json.at("parameters").at("default_tuning");
  EXPECT_EQ(tuning.at("objective").get<std::string>(), "mean ndcg@5 over new");
  // Both tasks are still scored.
  EXPECT_TRUE(json.at("models").at("default").contains("all"));
}

// The self-tuning's slice looks as far ahead as the test window: the
// window --test_days sets, else from the cutoff to the last event.
TEST_F(ShopEvaluationTest, TheTuningSliceSpansTheTestWindow) {
  absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + *dir_);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  int64_t last_event = 0;
  for (const Event& e : dataset->data.events) {
    last_event = std::max(last_event, e.unix_seconds);
  }
  for (int32_t test_days : {21, 0}) {
    EvaluationOptions options = Options();
    options.models = {"default"};
    options.epoch_curves = false;
    options.test_days = test_days;
    options.tuning.enabled = true;
    options.tuning.max_ials_trials = 1;
    options.tuning.ranker = false;
    options.tuning.validation.min_customers = 10;
    const nlohmann::json json = PrintedJson(Run(options));
    absl::Time cutoff;
    std::string error;
    ASSERT_TRUE(absl::ParseTime(
        absl::RFC3339_full, json.at("split").at("cutoff").get<std::string>(),
        &cutoff, &error))
        << error;
    const int64_t window_seconds = last_event - absl::ToUnixSeconds(cutoff);
    const int64_t days =
        test_days > 0 ? test_days
                      : (window_seconds + kSecondsPerDay - 1) / kSecondsPerDay;
    ASSERT_GT(days, 7);
    const std::string validation = json.at("parameters")
                                       .at("default_tuning")
                                       .at("validation")
                                       .get<std::string>();
    EXPECT_TRUE(absl::StartsWith(
        validation, absl::StrCat("time: the last ", days, " days (")))
        << validation << ", test_days " << test_days;
  }
}

// A catalog that labels nothing: the trainer infers every item's class, and
// the served lists still never hold an owned durable.
TEST(UnlabeledShopEvaluationTest, InferredDurablesAreNeverReoffered) {
  const std::string dir = WriteSmallShop("unlabeled", 11, 1.0);
  absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("shop:" + dir);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  for (const CatalogItem& item : dataset->data.items) {
    ASSERT_EQ(item.durability, Durability::kUnknown);
  }
  EvaluationOptions options = SmallOptions();
  options.models = {"rebuy", "default"};
  std::ostringstream log;
  absl::StatusOr<Evaluation> evaluation = RunEvaluation(*dataset, options, log);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status();
  const nlohmann::json json = PrintedJson(*evaluation);
  const nlohmann::json& models = json.at("models");
  EXPECT_GT(models.at("rebuy").at("owned_durable_violations").get<double>(), 0);
  EXPECT_EQ(models.at("default").at("owned_durable_violations").get<double>(), 0);
  ASSERT_TRUE(json.at("durability").contains("inference"));
  const nlohmann::json& inference = json.at("durability").at("inference");
  EXPECT_EQ(inference.at("unlabeled_items").get<double>(), 80);
  EXPECT_GT(inference.at("durable").at("recall").get<double>(), 0.5);
}

// The command contract's run on MovieLens 100K, if the shared data is here.
TEST(MovieLensEvaluationTest, RandomSplitOnMl100k) {
  absl::StatusOr<std::string> path =
      testing::SharedDataPath("ml-100k/ml-100k.inter");
  if (!path.ok()) GTEST_SKIP() << path.status();
  const std::string dir = path->substr(0, path->rfind('/'));
  absl::StatusOr<EvalDataset> dataset = LoadEvalDataset("movielens:" + dir);
  ASSERT_TRUE(dataset.ok()) << dataset.status();
  EXPECT_EQ(dataset->data.events.size(), 100000u);
  EvaluationOptions options;
  options.split = *ParseSplitSpec("random-75-25");
  options.seed = 1;
  options.models = {"popularity", "ials"};
  std::ostringstream log;
  absl::StatusOr<Evaluation> evaluation = RunEvaluation(*dataset, options, log);
  ASSERT_TRUE(evaluation.ok()) << evaluation.status();
  const nlohmann::json json = PrintedJson(*evaluation);
  EXPECT_EQ(json.at("split").at("test_customers").get<double>(), 943);
  const nlohmann::json& models = json.at("models");
  const double popularity = models.at("popularity").at("ndcg@10").get<double>();
  const double ials = models.at("ials").at("ndcg@10").get<double>();
  // Flat per model (one task); every model beats nothing and iALS beats
  // popularity by a wide margin on this data.
  EXPECT_GT(popularity, 0.15);
  EXPECT_GT(ials, popularity + 0.05);
}

}  // namespace
}  // namespace recommender
