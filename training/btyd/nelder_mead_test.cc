#include "training/btyd/nelder_mead.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(NelderMeadTest, FindsTheRosenbrockMinimum) {
  auto rosenbrock = [](const Eigen::VectorXd& v) {
    return 100 * std::pow(v[1] - v[0] * v[0], 2) + std::pow(1 - v[0], 2);
  };
  Eigen::VectorXd start(2);
  start << -1.2, 1;
  const NelderMeadResult result = MinimizeNelderMead(rosenbrock, start);
  EXPECT_TRUE(result.converged);
  EXPECT_NEAR(result.minimum[0], 1, 1e-5);
  EXPECT_NEAR(result.minimum[1], 1, 1e-5);
  EXPECT_LT(result.value, 1e-9);
}

// Points outside the domain (inf, NaN) are avoided, not fatal.
TEST(NelderMeadTest, StaysInsideTheDomain) {
  auto f = [](const Eigen::VectorXd& v) {
    if (v[0] <= 0) return std::numeric_limits<double>::quiet_NaN();
    if (v[1] <= 0) return std::numeric_limits<double>::infinity();
    return std::pow(std::log(v[0]) - 1, 2) + std::pow(v[1] - 0.5, 2) +
           std::pow(v[2] + 3, 2);
  };
  Eigen::VectorXd start(3);
  start << 0.2, 0.2, 0;
  const NelderMeadResult result = MinimizeNelderMead(f, start);
  EXPECT_TRUE(result.converged);
  EXPECT_NEAR(result.minimum[0], std::exp(1.0), 1e-5);
  EXPECT_NEAR(result.minimum[1], 0.5, 1e-5);
  EXPECT_NEAR(result.minimum[2], -3, 1e-5);
}

TEST(NelderMeadTest, ReportsWhenTheBudgetRunsOut) {
  auto f = [](const Eigen::VectorXd& v) { return v.squaredNorm(); };
  NelderMeadOptions options;
  options.max_evaluations = 20;
  const NelderMeadResult result =
      MinimizeNelderMead(f, Eigen::VectorXd::Constant(4, 3), options);
  EXPECT_FALSE(result.converged);
  EXPECT_LE(result.evaluations, 20 + 4);
}

}  // namespace
}  // namespace recommender
