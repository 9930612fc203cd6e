#include "recommender/factorization/ials_row_solver.h"

#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// The solve satisfies the normal equations of the iALS objective:
// (Y^T C Y + lambda I) x = Y^T C p, with c = 1 + alpha s on interacted
// items and 1 elsewhere.
TEST(IalsRowSolverTest, SolvesTheNormalEquations) {
  RowMajorFactors items(4, 3);
  items << 1, 0, 0.5f,  //
      0, 1, 0.2f,       //
      0.3f, 0.3f, 1,    //
      -0.5f, 0.1f, 0;
  const ConstFactorsMap fixed(items.data(), 4, 3);
  const float lambda = 0.1f, alpha = 2;
  const Eigen::MatrixXf gram = Gram(fixed);
  IalsRowSolver solver(ConstGramMap(gram.data(), 3, 3), fixed, alpha);
  const std::vector<int32_t> indices = {0, 2};
  const std::vector<float> strengths = {1, 5};
  std::vector<float> x(3);
  solver.Solve(indices, strengths, lambda, x.data());

  Eigen::VectorXf confidence = Eigen::VectorXf::Ones(4);
  Eigen::VectorXf preference = Eigen::VectorXf::Zero(4);
  for (size_t k = 0; k < indices.size(); ++k) {
    confidence(indices[k]) += alpha * strengths[k];
    preference(indices[k]) = 1;
  }
  const Eigen::MatrixXf y = items;
  const Eigen::MatrixXf lhs =
      y.transpose() * confidence.asDiagonal() * y +
      lambda * Eigen::MatrixXf::Identity(3, 3);
  const Eigen::VectorXf rhs =
      y.transpose() * confidence.cwiseProduct(preference);
  const Eigen::VectorXf residual =
      lhs * Eigen::Map<Eigen::VectorXf>(x.data(), 3) - rhs;
  EXPECT_LT(residual.norm(), 1e-4f);
  // Interacted items score higher than the others.
  const Eigen::VectorXf scores = y * Eigen::Map<Eigen::VectorXf>(x.data(), 3);
  EXPECT_GT(scores(0), scores(3));
  EXPECT_GT(scores(2), scores(1));
}

TEST(IalsRowSolverTest, NoInteractionsGiveZeros) {
  RowMajorFactors items = RowMajorFactors::Ones(2, 2);
  const ConstFactorsMap fixed(items.data(), 2, 2);
  const Eigen::MatrixXf gram = Gram(fixed);
  IalsRowSolver solver(ConstGramMap(gram.data(), 2, 2), fixed, 1);
  std::vector<float> x = {7, 7};
  solver.Solve({}, {}, 0.1f, x.data());
  EXPECT_EQ(x, std::vector<float>({0, 0}));
}

}  // namespace
}  // namespace recommender
