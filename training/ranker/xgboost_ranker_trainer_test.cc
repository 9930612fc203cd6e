#include "training/ranker/xgboost_ranker_trainer.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/xgboost_ranker_model.h"

namespace recommender {
namespace {

// Groups of 10 candidates where only feature 0 says which one is relevant
// (the highest value); the other columns are noise or missing.
RankerExamples SyntheticExamples(int groups, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(0, 1);
  RankerExamples examples;
  for (int g = 0; g < groups; ++g) {
    const int relevant = static_cast<int>(random() % 10);
    for (int c = 0; c < 10; ++c) {
      for (int f = 0; f < kNumRankingFeatures; ++f) {
        float value = f % 3 == 2 ? NAN : uniform(random);
        if (f == 0) value = c == relevant ? 1.5f + uniform(random) : uniform(random);
        examples.features.push_back(value);
      }
      examples.labels.push_back(c == relevant ? 1.0f : 0.0f);
    }
    examples.group_sizes.push_back(10);
    examples.group_case.push_back(g);
  }
  return examples;
}

RankerTrainingOptions SmallOptions() {
  RankerTrainingOptions options;
  options.rounds = 20;
  options.max_depth = 3;
  options.threads = 1;
  options.seed = 7;
  return options;
}

TEST(XgboostRankerTrainerTest, LearnsTheSignalAndScoresThroughTheServingModel) {
  const RankerExamples train = SyntheticExamples(60, 1);
  const RankerExamples held_out = SyntheticExamples(20, 2);
  RankerTrainingOptions options = SmallOptions();
  options.early_stopping_rounds = 5;
  const absl::StatusOr<TrainedRanker> trained =
      TrainXgboostRanker(train, &held_out, options);
  ASSERT_TRUE(trained.ok()) << trained.status();
  EXPECT_GE(trained->rounds, 1);
  EXPECT_LE(trained->rounds, options.rounds);
  ASSERT_EQ(trained->eval_ndcg.size(), static_cast<size_t>(trained->rounds));
  EXPECT_GE(trained->best_round, 1);
  EXPECT_GT(trained->eval_ndcg[trained->best_round - 1], 0.9);

  const absl::StatusOr<std::unique_ptr<const RankerModel>> model =
      LoadXgboostRanker(trained->model, kNumRankingFeatures);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<float> rows(held_out.features.begin(),
                                held_out.features.begin() + 10 * kNumRankingFeatures);
  const absl::StatusOr<std::vector<float>> scores = (*model)->Score(rows);
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 10u);
  int best = 0;
  for (int c = 1; c < 10; ++c) {
    if ((*scores)[c] > (*scores)[best]) best = c;
  }
  EXPECT_EQ(held_out.labels[best], 1.0f);
}

TEST(XgboostRankerTrainerTest, SameSeedSameModel) {
  const RankerExamples train = SyntheticExamples(40, 3);
  const absl::StatusOr<TrainedRanker> a =
      TrainXgboostRanker(train, nullptr, SmallOptions());
  const absl::StatusOr<TrainedRanker> b =
      TrainXgboostRanker(train, nullptr, SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->model, b->model);
  EXPECT_EQ(a->rounds, SmallOptions().rounds);
}

TEST(XgboostRankerTrainerTest, TruncatesToTheRoundsAsked) {
  const absl::StatusOr<TrainedRanker> trained =
      TrainXgboostRanker(SyntheticExamples(30, 4), nullptr, SmallOptions());
  ASSERT_TRUE(trained.ok());
  const absl::StatusOr<std::string> cut = TruncateXgboostRanker(trained->model, 5);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_LT(cut->size(), trained->model.size());
  EXPECT_FALSE(TruncateXgboostRanker(trained->model, 0).ok());
}

TEST(XgboostRankerTrainerTest, StopsAfterTheRoundItsStopSaysSo) {
  RankerTrainingOptions options = SmallOptions();
  int asked = 0;
  options.stop = [&asked] { return ++asked >= 4; };
  const absl::StatusOr<TrainedRanker> stopped =
      TrainXgboostRanker(SyntheticExamples(30, 6), nullptr, options);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->rounds, 4);
  EXPECT_TRUE(stopped->stopped);
  // Stopped at once: still one round, a usable model.
  options.stop = [] { return true; };
  const absl::StatusOr<TrainedRanker> first =
      TrainXgboostRanker(SyntheticExamples(30, 6), nullptr, options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->rounds, 1);
  EXPECT_TRUE(first->stopped);
  EXPECT_TRUE(LoadXgboostRanker(first->model, kNumRankingFeatures).ok());
  // Never stopping: every round, not marked.
  options.stop = [] { return false; };
  const absl::StatusOr<TrainedRanker> full =
      TrainXgboostRanker(SyntheticExamples(30, 6), nullptr, options);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->rounds, options.rounds);
  EXPECT_FALSE(full->stopped);
}

TEST(XgboostRankerTrainerTest, RefusesEmptyExamplesAndUnknownObjectives) {
  EXPECT_FALSE(TrainXgboostRanker(RankerExamples(), nullptr, SmallOptions()).ok());
  RankerTrainingOptions options = SmallOptions();
  options.objective = "reg:squarederror";
  EXPECT_FALSE(TrainXgboostRanker(SyntheticExamples(5, 5), nullptr, options).ok());
}

}  // namespace
}  // namespace recommender
