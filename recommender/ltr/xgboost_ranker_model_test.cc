#include "recommender/ltr/xgboost_ranker_model.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/testing_ranker.h"
#include "recommender/ltr/tree_ensemble.h"
#include "xgboost/c_api.h"

namespace recommender {
namespace {

constexpr int kFeatures = 2;

// A small rank:pairwise model where feature 0 decides relevance, trained
// through the C API and saved as UBJSON.
std::string TrainTinyModel() {
  std::vector<float> features;
  std::vector<float> labels;
  std::vector<unsigned> groups;
  for (int group = 0; group < 20; ++group) {
    for (int row = 0; row < 10; ++row) {
      const float signal = static_cast<float>((row * 7 + group) % 10);
      features.push_back(signal);
      features.push_back(row % 3 == 0 ? NAN : static_cast<float>(row % 4));
      labels.push_back(signal >= 7 ? 1.0f : 0.0f);
    }
    groups.push_back(10);
  }
  DMatrixHandle matrix = nullptr;
  EXPECT_EQ(XGDMatrixCreateFromMat(features.data(), labels.size(), kFeatures,
                                   NAN, &matrix),
            0);
  EXPECT_EQ(XGDMatrixSetFloatInfo(matrix, "label", labels.data(), labels.size()), 0);
  EXPECT_EQ(XGDMatrixSetUIntInfo(matrix, "group", groups.data(), groups.size()), 0);
  BoosterHandle booster = nullptr;
  EXPECT_EQ(XGBoosterCreate(&matrix, 1, &booster), 0);
  EXPECT_EQ(XGBoosterSetParam(booster, "objective", "rank:pairwise"), 0);
  EXPECT_EQ(XGBoosterSetParam(booster, "nthread", "1"), 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(XGBoosterUpdateOneIter(booster, i, matrix), 0);
  bst_ulong size = 0;
  const char* bytes = nullptr;
  EXPECT_EQ(XGBoosterSaveModelToBuffer(booster, "{\"format\": \"ubj\"}", &size, &bytes), 0);
  std::string model(bytes, size);
  XGBoosterFree(booster);
  XGDMatrixFree(matrix);
  return model;
}

using Loader = absl::StatusOr<std::unique_ptr<const RankerModel>> (*)(
    absl::string_view, int32_t);

// Every test runs with the serving loader (flat evaluator) and with the
// C API one.
class XgboostRankerModelTest : public testing::TestWithParam<Loader> {
 protected:
  absl::StatusOr<std::unique_ptr<const RankerModel>> Load(
      absl::string_view bytes, int32_t features) {
    return GetParam()(bytes, features);
  }
};

TEST_P(XgboostRankerModelTest, ScoresFollowTheLearnedFeature) {
  auto model = Load(TrainTinyModel(), kFeatures);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->num_features(), kFeatures);
  auto scores = (*model)->Score({9.0f, 1.0f, 1.0f, NAN, 5.0f, 2.0f});
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 3u);
  EXPECT_GT((*scores)[0], (*scores)[1]);
  EXPECT_GT((*scores)[0], (*scores)[2]);
  auto empty = (*model)->Score({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_P(XgboostRankerModelTest, ConcurrentCallsAgree) {
  auto model = Load(TrainTinyModel(), kFeatures);
  ASSERT_TRUE(model.ok()) << model.status();
  std::vector<float> rows;
  for (int i = 0; i < 50; ++i) {
    rows.push_back(static_cast<float>(i % 10));
    rows.push_back(static_cast<float>(i % 4));
  }
  const std::vector<float> expected = *(*model)->Score(rows);
  std::vector<std::thread> threads;
  std::vector<bool> same(4, false);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool all = true;
      for (int round = 0; round < 50; ++round) {
        auto scores = (*model)->Score(rows);
        all = all && scores.ok() && *scores == expected;
      }
      same[t] = all;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (bool ok : same) EXPECT_TRUE(ok);
}

TEST_P(XgboostRankerModelTest, RefusesBadBytesAndWrongShapes) {
  EXPECT_EQ(Load("not a model", kFeatures).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Load(TrainTinyModel(), 5).status().code(),
            absl::StatusCode::kDataLoss);
  auto model = Load(TrainTinyModel(), kFeatures);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->Score({1.0f, 2.0f, 3.0f}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Loaders, XgboostRankerModelTest,
                         testing::Values(&LoadXgboostRanker,
                                         &LoadXgboostRankerCApi));

// The serving loader's flat evaluator covers a ranker saved as UBJSON the
// way the trainer saves it, and scores exactly as XGBoost does.
TEST(XgboostRankerModelTest, FlatEvaluatorScoresAsTheCApi) {
  const std::string bytes = TrainTestRanker(kPurchaseCount);
  BoosterHandle booster = nullptr;
  ASSERT_EQ(XGBoosterCreate(nullptr, 0, &booster), 0);
  ASSERT_EQ(XGBoosterLoadModelFromBuffer(booster, bytes.data(), bytes.size()), 0);
  bst_ulong size = 0;
  const char* json = nullptr;
  ASSERT_EQ(XGBoosterSaveModelToBuffer(booster, "{\"format\": \"json\"}",
                                       &size, &json),
            0);
  EXPECT_TRUE(TreeEnsemble::FromXgboostJson(std::string(json, size)).ok());
  XGBoosterFree(booster);

  auto flat = LoadXgboostRanker(bytes, kNumRankingFeatures);
  auto reference = LoadXgboostRankerCApi(bytes, kNumRankingFeatures);
  ASSERT_TRUE(flat.ok()) << flat.status();
  ASSERT_TRUE(reference.ok()) << reference.status();
  std::mt19937 random(3);
  std::vector<float> rows;
  for (int i = 0; i < 500 * kNumRankingFeatures; ++i) {
    rows.push_back(random() % 5 == 0 ? NAN
                                     : static_cast<float>(random() % 12) - 1);
  }
  const std::vector<float> expected = *(*reference)->Score(rows);
  EXPECT_EQ(*(*flat)->Score(rows), expected);
  EXPECT_NE(*std::min_element(expected.begin(), expected.end()),
            *std::max_element(expected.begin(), expected.end()));
}

}  // namespace
}  // namespace recommender
