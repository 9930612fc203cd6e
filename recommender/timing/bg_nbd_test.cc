#include "recommender/timing/bg_nbd.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// The published CDNOW fit (Fader, Hardie & Lee 2005), in weeks.
const BgNbdParameters kCdnow{0.243, 4.414, 0.793, 2.426};

double Expected(const BgNbdParameters& p, const CustomerRfm& c, double t) {
  absl::StatusOr<double> value = BgNbdExpectedPurchases(p, c, t);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : NAN;
}

TEST(BgNbdTest, PaperExampleCustomer) {
  EXPECT_NEAR(Expected(kCdnow, {2, 30.43, 38.86, 0}, 39), 1.226, 0.001);
}

TEST(BgNbdTest, ProbabilityAliveFallsWithTimeSinceTheLastPurchase) {
  EXPECT_EQ(BgNbdProbabilityAlive(kCdnow, {0, 0, 30, 0}), 1);
  const double recent = BgNbdProbabilityAlive(kCdnow, {3, 29, 30, 0});
  const double lapsed = BgNbdProbabilityAlive(kCdnow, {3, 5, 30, 0});
  // BG/NBD customers may drop out right after a purchase: even a recent
  // buyer is alive with probability 1 / (1 + a / (b + x - 1) ...) < 1.
  EXPECT_GT(recent, 0.8);
  EXPECT_LT(recent, 1);
  EXPECT_LT(lapsed, recent);
  EXPECT_GT(lapsed, 0);
}

// The rate of expected purchases right after T is P(alive) times the
// posterior mean rate (r + x) / (alpha + T).
TEST(BgNbdTest, ExpectedPurchasesStartAtThePosteriorRate) {
  const CustomerRfm c{4, 20, 30, 0};
  const double h = 1e-4;
  EXPECT_NEAR(Expected(kCdnow, c, h) / h,
              BgNbdProbabilityAlive(kCdnow, c) * (kCdnow.r + 4) /
                  (kCdnow.alpha + 30),
              1e-4);
}

TEST(BgNbdTest, ProbabilityOfAPurchaseIsAtMostTheExpectedCount) {
  const CustomerRfm c{4, 20, 30, 0};
  for (double t : {1.0, 10.0, 52.0}) {
    const double probability = BgNbdProbabilityPurchaseWithin(kCdnow, c, t);
    EXPECT_GT(probability, 0);
    EXPECT_LE(probability, Expected(kCdnow, c, t));
    EXPECT_LE(probability, BgNbdProbabilityAlive(kCdnow, c));
  }
}

TEST(BgNbdTest, AEqualToOneIsHandledByContinuity) {
  BgNbdParameters p = kCdnow;
  const CustomerRfm c{2, 10, 20, 0};
  p.a = 1;
  const double at_one = Expected(p, c, 10);
  p.a = 1.001;
  const double above = Expected(p, c, 10);
  p.a = 0.999;
  const double below = Expected(p, c, 10);
  EXPECT_TRUE(std::isfinite(at_one));
  EXPECT_NEAR(at_one, 0.5 * (above + below), 1e-5);
}

TEST(BgNbdTest, QuantilesOfTheNextPurchaseIfAlive) {
  const CustomerRfm c{4, 20, 30, 0};
  const double median = BgNbdTimeToNextPurchaseIfAlive(kCdnow, c, 0.5);
  // P(no purchase in t | alive) = ((alpha+T)/(alpha+T+t))^(r+x) = 1/2.
  EXPECT_NEAR(std::pow((kCdnow.alpha + 30) / (kCdnow.alpha + 30 + median),
                       kCdnow.r + 4),
              0.5, 1e-12);
  EXPECT_LT(BgNbdTimeToNextPurchaseIfAlive(kCdnow, c, 0.1), median);
}

TEST(BgNbdTest, LikelihoodIsFiniteForEveryKindOfCustomer) {
  for (const CustomerRfm& c : {CustomerRfm{0, 0, 0, 0}, CustomerRfm{0, 0, 38, 0},
                               CustomerRfm{1, 1, 38, 0},
                               CustomerRfm{300, 37, 38, 0}}) {
    EXPECT_TRUE(std::isfinite(BgNbdLogLikelihood(kCdnow, c)));
  }
  EXPECT_FALSE(IsValid(BgNbdParameters{0.2, 4, -1, 2}));
  EXPECT_TRUE(IsValid(kCdnow));
}

}  // namespace
}  // namespace recommender
