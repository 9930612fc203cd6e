#include "recommender/timing/special_functions.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

double F(double a, double b, double c, double z) {
  absl::StatusOr<double> value = Hypergeometric2F1(a, b, c, z);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : NAN;
}

void ExpectRelativelyNear(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected))
      << "actual " << actual << ", expected " << expected;
}

// 2F1(1, 1; 2; z) = -log(1 - z) / z. c - a - b = 0 is an integer, so near
// z = 1 this exercises the neighbour averaging of the 1 - z formula.
TEST(Hypergeometric2F1Test, LogarithmAcrossTheWholeRange) {
  for (double z : {-50.0, -2.0, -0.5, 1e-3, 0.3, 0.89, 0.91, 0.99, 0.999999}) {
    ExpectRelativelyNear(F(1, 1, 2, z), -std::log1p(-z) / z, 1e-9);
  }
}

// 2F1(a, b; b; z) = (1 - z)^-a.
TEST(Hypergeometric2F1Test, PowerOfOneMinusZ) {
  for (double z : {-3.0, -0.2, 0.5, 0.95, 0.9999}) {
    ExpectRelativelyNear(F(2.5, 1.3, 1.3, z), std::pow(1 - z, -2.5), 1e-9);
  }
}

// 2F1(1/2, 1/2; 3/2; z^2) = asin(z) / z and 2F1(1/2, 1; 3/2; -z^2) =
// atan(z) / z: non-integer c - a - b and the Pfaff transformation.
TEST(Hypergeometric2F1Test, InverseTrigonometricFunctions) {
  for (double z : {0.1, 0.5, 0.9, 0.97, 0.999}) {
    ExpectRelativelyNear(F(0.5, 0.5, 1.5, z * z), std::asin(z) / z, 1e-9);
  }
  for (double z : {0.1, 1.0, 3.0, 30.0}) {
    ExpectRelativelyNear(F(0.5, 1, 1.5, -z * z), std::atan(z) / z, 1e-9);
  }
}

// The Pareto/NBD likelihood's form 2F1(a, b; a + 1; z) equals
// a * integral_0^1 t^(a-1) (1 - z t)^-b dt; compared with Simpson's rule.
TEST(Hypergeometric2F1Test, MatchesEulerIntegralForParetoNbdShape) {
  for (double z : {0.2, 0.6, 0.93, 0.995}) {
    const double a = 5.2, b = 1.6;
    const int n = 200000;
    const double h = 1.0 / n;
    double sum = 0;
    for (int i = 0; i <= n; ++i) {
      const double t = i * h;
      const double weight = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
      sum += weight * std::pow(t, a - 1) * std::pow(1 - z * t, -b);
    }
    ExpectRelativelyNear(F(a, b, a + 1, z), a * sum * h / 3, 1e-8);
  }
}

// Terminating series: 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1)).
TEST(Hypergeometric2F1Test, PolynomialWhenAIsANonPositiveInteger) {
  const double b = 1.7, c = 2.3, z = 0.4;
  ExpectRelativelyNear(F(-2, b, c, z),
                       1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1)),
                       1e-12);
}

TEST(Hypergeometric2F1Test, RejectsArgumentsOutsideItsDomain) {
  EXPECT_EQ(Hypergeometric2F1(1, 1, 2, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Hypergeometric2F1(1, 1, -2, 0.5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Hypergeometric2F1(NAN, 1, 2, 0.5).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SpecialFunctionsTest, LogGammaLogBetaAndLogSumExp) {
  EXPECT_NEAR(LogGamma(5), std::log(24.0), 1e-12);
  EXPECT_NEAR(LogBeta(2, 3), std::log(1.0 / 12), 1e-12);
  int sign = 0;
  LogAbsGamma(-0.5, &sign);
  EXPECT_EQ(sign, -1);
  EXPECT_NEAR(LogSumExp(1000, 1000), 1000 + std::log(2.0), 1e-9);
  EXPECT_EQ(LogSumExp(-INFINITY, -INFINITY), -INFINITY);
}

}  // namespace
}  // namespace recommender
