#include "training/ials.h"

#include "gtest/gtest.h"
#include "training/seeded_random.h"

namespace recommender {
namespace {

// Two taste clusters: users 0..19 like items 0..9, users 20..39 like 10..19,
// each user having interacted with a random half of their cluster's items.
InteractionMatrix TwoClusters() {
  SeededRandom random(7);
  std::vector<Interaction> entries;
  for (int32_t u = 0; u < 40; ++u) {
    const int32_t first = u < 20 ? 0 : 10;
    for (int32_t i = first; i < first + 10; ++i) {
      if (random.Bernoulli(0.5)) entries.push_back({u, i, 1.0f});
    }
  }
  return InteractionMatrix::FromInteractions(40, 20, std::move(entries));
}

IalsOptions SmallOptions() {
  IalsOptions options;
  options.factors = 4;
  options.epochs = 8;
  options.regularization = 0.05f;
  options.alpha = 5;
  options.threads = 2;
  options.seed = 11;
  return options;
}

TEST(IalsTest, LossNeverIncreases) {
  auto model = TrainIals(TwoClusters(), SmallOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_EQ(model->epoch_losses.size(), 8u);
  for (size_t e = 1; e < model->epoch_losses.size(); ++e) {
    EXPECT_LE(model->epoch_losses[e], model->epoch_losses[e - 1] * (1 + 1e-6));
  }
}

TEST(IalsTest, SameSeedSameFactorsWhateverTheThreadCount) {
  IalsOptions one = SmallOptions();
  one.threads = 1;
  IalsOptions two = SmallOptions();
  two.threads = 2;
  auto a = TrainIals(TwoClusters(), one);
  auto b = TrainIals(TwoClusters(), two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->item_factors, b->item_factors);
  EXPECT_EQ(a->user_factors, b->user_factors);
}

// The last half-step solved the items exactly: the objective's gradient with
// respect to every item vector, computed densely here, must vanish.
TEST(IalsTest, ItemStepSolvesTheNormalEquationsExactly) {
  const InteractionMatrix matrix = TwoClusters();
  const IalsOptions options = SmallOptions();
  auto model = TrainIals(matrix, options);
  ASSERT_TRUE(model.ok());
  for (int32_t i = 0; i < matrix.num_columns(); ++i) {
    Eigen::VectorXd gradient =
        options.regularization *
        model->item_factors.row(i).transpose().cast<double>();
    for (int32_t u = 0; u < matrix.num_rows(); ++u) {
      double strength = 0;
      const auto items = matrix.RowIndices(u);
      for (size_t k = 0; k < items.size(); ++k) {
        if (items[k] == i) strength = matrix.RowValues(u)[k];
      }
      const double preference = strength > 0 ? 1 : 0;
      const double confidence = 1 + options.alpha * strength;
      const Eigen::VectorXd x =
          model->user_factors.row(u).transpose().cast<double>();
      const double score =
          x.dot(model->item_factors.row(i).transpose().cast<double>());
      gradient += confidence * (score - preference) * x;
    }
    EXPECT_LT(gradient.norm(), 1e-3) << "item " << i;
  }
}

TEST(IalsTest, LearnsTheClusters) {
  auto model = TrainIals(TwoClusters(), SmallOptions());
  ASSERT_TRUE(model.ok());
  for (int32_t u : {0, 5, 25, 39}) {
    const int32_t first = u < 20 ? 0 : 10;
    const int32_t other = u < 20 ? 10 : 0;
    double own = 0, foreign = 0;
    for (int32_t k = 0; k < 10; ++k) {
      own += model->user_factors.row(u).dot(model->item_factors.row(first + k));
      foreign +=
          model->user_factors.row(u).dot(model->item_factors.row(other + k));
    }
    EXPECT_GT(own, foreign + 1.0) << "user " << u;
  }
}

TEST(IalsTest, RowsWithoutInteractionsGetZeroFactors) {
  auto model = TrainIals(
      InteractionMatrix::FromInteractions(3, 2, {{0, 0, 1.0f}, {2, 1, 1.0f}}),
      SmallOptions());
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->user_factors.row(1).squaredNorm(), 0.0f);
}

TEST(IalsTest, InvalidOptionsAreNamed) {
  IalsOptions bad = SmallOptions();
  bad.factors = 0;
  auto model = TrainIals(TwoClusters(), bad);
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("factors"), std::string::npos);
  bad = SmallOptions();
  bad.regularization = 0;
  EXPECT_NE(TrainIals(TwoClusters(), bad).status().message().find(
                "regularization"),
            std::string::npos);
}

}  // namespace
}  // namespace recommender
