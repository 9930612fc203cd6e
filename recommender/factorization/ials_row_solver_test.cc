#include "recommender/factorization/ials_row_solver.h"

#include <cmath>
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
  const ConstFactorsMap fixed = FactorsMap(items.data(), 4, 3);
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
  const Eigen::MatrixXf lhs = y.transpose() * confidence.asDiagonal() * y +
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

TEST(IalsRowSolverTest, ABlockOfColumnsSolvesAsItsOwnCopy) {
  RowMajorFactors items(3, 4);
  items << 9, 1, 0, 9,  //
      9, 0, 1, 9,       //
      9, 0.3f, 0.3f, 9;
  const RowMajorFactors copy = items.middleCols(1, 2);
  const ConstFactorsMap block = FactorColumns(items.data(), 3, 4, 1, 2);
  const ConstFactorsMap whole = FactorsMap(copy.data(), 3, 2);
  const Eigen::MatrixXf block_gram = Gram(block);
  const Eigen::MatrixXf copy_gram = Gram(whole);
  EXPECT_TRUE(block_gram.isApprox(copy_gram));
  IalsRowSolver on_block(ConstGramMap(block_gram.data(), 2, 2), block, 1);
  IalsRowSolver on_copy(ConstGramMap(copy_gram.data(), 2, 2), whole, 1);
  const std::vector<int32_t> indices = {0, 2};
  const std::vector<float> strengths = {3, 1};
  std::vector<float> a(2), b(2);
  on_block.Solve(indices, strengths, 0.5f, a.data());
  on_copy.Solve(indices, strengths, 0.5f, b.data());
  EXPECT_FLOAT_EQ(a[0], b[0]);
  EXPECT_FLOAT_EQ(a[1], b[1]);
}

TEST(IalsRowSolverTest, NoInteractionsGiveZeros) {
  RowMajorFactors items = RowMajorFactors::Ones(2, 2);
  const ConstFactorsMap fixed = FactorsMap(items.data(), 2, 2);
  const Eigen::MatrixXf gram = Gram(fixed);
  IalsRowSolver solver(ConstGramMap(gram.data(), 2, 2), fixed, 1);
  std::vector<float> x = {7, 7};
  solver.Solve({}, {}, 0.1f, x.data());
  EXPECT_EQ(x, std::vector<float>({0, 0}));
  x = {7, 7};
  solver.Refine({}, {}, 0.1f, 3, x.data());
  EXPECT_EQ(x, std::vector<float>({0, 0}));
}

// Conjugate gradient from any start reaches the exact solution in d steps
// (up to rounding); one step already moves towards it.
TEST(IalsRowSolverTest, RefineWithDimensionStepsMatchesSolve) {
  RowMajorFactors items(5, 3);
  items << 1, 0, 0.5f,  //
      0, 1, 0.2f,       //
      0.3f, 0.3f, 1,    //
      -0.5f, 0.1f, 0,   //
      0.2f, -0.4f, 0.7f;
  const ConstFactorsMap fixed = FactorsMap(items.data(), 5, 3);
  const Eigen::MatrixXf gram = Gram(fixed);
  IalsRowSolver solver(ConstGramMap(gram.data(), 3, 3), fixed, 4);
  const std::vector<int32_t> indices = {4, 1, 2};
  const std::vector<float> strengths = {2, 0.5f, 3};
  std::vector<float> exact(3);
  solver.Solve(indices, strengths, 0.3f, exact.data());

  const std::vector<float> start = {1, -1, 2};
  std::vector<float> refined = start;
  solver.Refine(indices, strengths, 0.3f, 3, refined.data());
  std::vector<float> one_step = start;
  solver.Refine(indices, strengths, 0.3f, 1, one_step.data());
  double start_error = 0, one_step_error = 0;
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(refined[k], exact[k], 1e-4f) << k;
    start_error += std::pow(start[k] - exact[k], 2);
    one_step_error += std::pow(one_step[k] - exact[k], 2);
  }
  EXPECT_LT(one_step_error, start_error);
}

TEST(IalsRowRegularizationTest, ScalesByTotalConfidence) {
  // Exponent 0: the constant, whatever the row.
  EXPECT_EQ(IalsRowRegularization(15, 0, 1000, 2, 40), 15.0f);
  // lambda * (other + alpha * strength)^nu = 2 * (100 + 2 * 12)^0.5.
  EXPECT_FLOAT_EQ(IalsRowRegularization(2, 0.5f, 100, 2, 12),
                  2 * std::sqrt(124.0f));
  EXPECT_FLOAT_EQ(IalsRowRegularization(0.5f, 1, 10, 1, 5), 7.5f);
}

}  // namespace
}  // namespace recommender
