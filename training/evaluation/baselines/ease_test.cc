#include "training/evaluation/baselines/ease.h"

#include <vector>

#include "Eigen/Dense"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

EaseModel Train(const InteractionMatrix& matrix, float l2,
                bool binary = false) {
  absl::StatusOr<EaseModel> model =
      EaseModel::Train(matrix, {l2, 100, binary});
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

TEST(EaseTest, TwoItemsByHand) {
  // Customers {0, 1} and {0}: X^T X = [[2, 1], [1, 1]]. With l2 = 1, B_01 is
  // the ridge regression of item 1 on item 0, 1 / (2 + 1), and B_10 =
  // 1 / (1 + 1).
  const InteractionMatrix matrix = InteractionMatrix::FromInteractions(
      2, 2, {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}});
  const EaseModel model = Train(matrix, 1);
  EXPECT_FLOAT_EQ(model.weights()(0, 0), 0);
  EXPECT_FLOAT_EQ(model.weights()(1, 1), 0);
  EXPECT_NEAR(model.weights()(0, 1), 1.0 / 3, 1e-6);
  EXPECT_NEAR(model.weights()(1, 0), 1.0 / 2, 1e-6);

  std::vector<float> scores(2, -7);
  const std::vector<int32_t> items = {0};
  const std::vector<float> values = {3};
  model.Score(items, values, absl::MakeSpan(scores));
  EXPECT_FLOAT_EQ(scores[0], 0);
  EXPECT_NEAR(scores[1], 1, 1e-6);
}

// Each column j of B is the ridge regression of item j on the other items:
// (X_-j^T X_-j + l2 I) b = X_-j^T x_j, solved here directly.
TEST(EaseTest, ColumnsAreRidgeRegressionsOnTheOtherItems) {
  std::vector<Interaction> entries;
  Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(12, 5);
  for (int32_t u = 0; u < 12; ++u) {
    for (int32_t i = 0; i < 5; ++i) {
      if ((u * 7 + i * 3) % 5 < 2 || i == u % 5) {
        const float value = 1.0f + (u + i) % 3;
        entries.push_back({u, i, value});
        dense(u, i) = value;
      }
    }
  }
  const float l2 = 2.5;
  const EaseModel model =
      Train(InteractionMatrix::FromInteractions(12, 5, entries), l2);
  for (int j = 0; j < 5; ++j) {
    Eigen::MatrixXd others(12, 4);
    for (int i = 0, c = 0; i < 5; ++i) {
      if (i != j) others.col(c++) = dense.col(i);
    }
    const Eigen::VectorXd b =
        (others.transpose() * others + l2 * Eigen::MatrixXd::Identity(4, 4))
            .ldlt()
            .solve(others.transpose() * dense.col(j));
    EXPECT_FLOAT_EQ(model.weights()(j, j), 0);
    for (int i = 0, c = 0; i < 5; ++i) {
      if (i != j) {
        EXPECT_NEAR(model.weights()(i, j), b(c++), 1e-4);
      }
    }
  }
}

TEST(EaseTest, BinaryUsesOnlyThePatternOfTheMatrix) {
  // Same pattern as TwoItemsByHand with values 10 and 3: binary gives the
  // same B as the 0/1 matrix, and Score ignores history values.
  const EaseModel model = Train(
      InteractionMatrix::FromInteractions(
          2, 2, {{0, 0, 10}, {0, 1, 3}, {1, 0, 10}}),
      1, /*binary=*/true);
  EXPECT_NEAR(model.weights()(0, 1), 1.0 / 3, 1e-6);
  EXPECT_NEAR(model.weights()(1, 0), 1.0 / 2, 1e-6);
  std::vector<float> scores(2);
  const std::vector<int32_t> items = {0};
  const std::vector<float> values = {7};
  model.Score(items, values, absl::MakeSpan(scores));
  EXPECT_NEAR(scores[1], 1.0 / 3, 1e-6);
}

TEST(EaseTest, RejectsCatalogAboveMaxItems) {
  const InteractionMatrix matrix =
      InteractionMatrix::FromInteractions(1, 30, {{0, 3, 1}});
  const absl::StatusOr<EaseModel> model = EaseModel::Train(matrix, {500, 20});
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(model.status().message(), "30 items"));
  EXPECT_TRUE(absl::StrContains(model.status().message(), "max_items = 20"));
}

TEST(EaseTest, RejectsNonPositiveL2) {
  const InteractionMatrix matrix =
      InteractionMatrix::FromInteractions(1, 2, {{0, 1, 1}});
  EXPECT_TRUE(absl::StrContains(
      EaseModel::Train(matrix, {0, 20}).status().message(), "l2"));
}

}  // namespace
}  // namespace recommender
