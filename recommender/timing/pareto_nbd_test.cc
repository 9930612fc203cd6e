#include "recommender/timing/pareto_nbd.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// The published CDNOW fit, in weeks.
const ParetoNbdParameters kCdnow{0.553, 10.578, 0.606, 11.669};

double LogLikelihood(const ParetoNbdParameters& p, const CustomerRfm& c) {
  absl::StatusOr<double> value = ParetoNbdLogLikelihood(p, c);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : NAN;
}

// The likelihood has one branch for alpha >= beta and one for alpha < beta;
// they must meet.
TEST(ParetoNbdTest, BothBranchesAgreeAtAlphaEqualsBeta) {
  for (const CustomerRfm& c : {CustomerRfm{0, 0, 38, 0}, CustomerRfm{3, 20, 38, 0},
                               CustomerRfm{12, 37, 38, 0}}) {
    const double low = LogLikelihood({0.55, 10 - 1e-7, 0.6, 10}, c);
    const double high = LogLikelihood({0.55, 10 + 1e-7, 0.6, 10}, c);
    EXPECT_NEAR(low, high, 1e-6);
  }
}

// When recency equals age the customer was seen buying at T, so the
// "dropped out" term vanishes and P(alive) is 1.
TEST(ParetoNbdTest, ProbabilityAlive) {
  absl::StatusOr<double> just_bought =
      ParetoNbdProbabilityAlive(kCdnow, {3, 38, 38, 0});
  ASSERT_TRUE(just_bought.ok());
  EXPECT_DOUBLE_EQ(*just_bought, 1);
  absl::StatusOr<double> lapsed = ParetoNbdProbabilityAlive(kCdnow, {3, 5, 38, 0});
  absl::StatusOr<double> recent = ParetoNbdProbabilityAlive(kCdnow, {3, 30, 38, 0});
  ASSERT_TRUE(lapsed.ok() && recent.ok());
  EXPECT_GT(*lapsed, 0);
  EXPECT_LT(*lapsed, *recent);
  EXPECT_LT(*recent, 1);
}

TEST(ParetoNbdTest, ExpectedPurchasesStartAtThePosteriorRate) {
  const CustomerRfm c{4, 20, 30, 0};
  absl::StatusOr<double> alive = ParetoNbdProbabilityAlive(kCdnow, c);
  absl::StatusOr<double> soon = ParetoNbdExpectedPurchases(kCdnow, c, 1e-4);
  ASSERT_TRUE(alive.ok() && soon.ok());
  EXPECT_NEAR(*soon / 1e-4, *alive * (kCdnow.r + 4) / (kCdnow.alpha + 30),
              1e-5);
  // s = 1 is a removable singularity.
  ParetoNbdParameters p = kCdnow;
  p.s = 1;
  absl::StatusOr<double> at_one = ParetoNbdExpectedPurchases(p, c, 39);
  p.s = 1 + 1e-6;
  absl::StatusOr<double> near_one = ParetoNbdExpectedPurchases(p, c, 39);
  ASSERT_TRUE(at_one.ok() && near_one.ok());
  EXPECT_NEAR(*at_one, *near_one, 1e-5);
}

// Far from the fitted values the hypergeometric argument comes close to 1.
TEST(ParetoNbdTest, ExtremeParametersStayFinite) {
  EXPECT_TRUE(std::isfinite(LogLikelihood({0.5, 50, 0.6, 0.001}, {2, 0.5, 38, 0})));
  EXPECT_TRUE(std::isfinite(LogLikelihood({0.5, 0.001, 0.6, 50}, {2, 0.5, 38, 0})));
  EXPECT_TRUE(std::isfinite(LogLikelihood(kCdnow, {0, 0, 0, 0})));
}

}  // namespace
}  // namespace recommender
