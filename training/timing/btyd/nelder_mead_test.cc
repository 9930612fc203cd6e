#include "training/timing/btyd/nelder_mead.h"

#include <cmath>
#include <cstdint>
#include <cstring>
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

// A log-likelihood summed over a million customers is ~1e6 to 1e7 with
// rounding noise of ~1e-9 between nearby points: an absolute tolerance of
// 1e-10 on the values could never be met and the search ran out of
// evaluations.
TEST(NelderMeadTest, RoundingNoiseOfALargeSumDoesNotStopConvergence) {
  auto noisy = [](const Eigen::VectorXd& v) {
    // Deterministic noise of relative size 1e-15 (a few ulps) that, like
    // the rounding of a long sum, changes with the last bit of the point.
    uint64_t h = 0;
    for (int i = 0; i < 3; ++i) {
      uint64_t x;
      std::memcpy(&x, &v[i], sizeof x);
      h = (h ^ x) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 29;
    }
    const double bits = static_cast<double>(h >> 11) / 4503599627370496.0 - 1;
    return 1e6 * (1 + (v - Eigen::Vector3d(1, -2, 0.5)).squaredNorm()) *
           (1 + 1e-15 * bits);
  };
  const NelderMeadResult result =
      MinimizeNelderMead(noisy, Eigen::VectorXd::Zero(3));
  EXPECT_TRUE(result.converged) << result.evaluations << " evaluations";
  EXPECT_NEAR(result.minimum[0], 1, 1e-4);
  EXPECT_NEAR(result.minimum[1], -2, 1e-4);
  EXPECT_NEAR(result.minimum[2], 0.5, 1e-4);
}

// Noise far above any relative tolerance on the values (1e-9 of 3e4, as a
// BG/NBD likelihood with a + b ~ 1e6): the simplex still collapses onto
// the minimum and the search says so.
TEST(NelderMeadTest, NoisyValuesAtACollapsedSimplexStillConverge) {
  auto noisy = [](const Eigen::VectorXd& v) {
    uint64_t h = 0;
    for (int i = 0; i < 2; ++i) {
      uint64_t x;
      std::memcpy(&x, &v[i], sizeof x);
      h = (h ^ x) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 29;
    }
    const double bits = static_cast<double>(h >> 11) / 4503599627370496.0 - 1;
    return 3e4 * (1 + (v - Eigen::Vector2d(0.3, 4)).squaredNorm()) *
           (1 + 1e-9 * bits);
  };
  const NelderMeadResult result =
      MinimizeNelderMead(noisy, Eigen::VectorXd::Zero(2));
  EXPECT_TRUE(result.converged) << result.evaluations << " evaluations";
  EXPECT_NEAR(result.minimum[0], 0.3, 1e-3);
  EXPECT_NEAR(result.minimum[1], 4, 1e-3);
  EXPECT_LT(result.evaluations, 5000);
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
