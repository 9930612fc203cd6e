// The fits recover the parameters of synthetic customers drawn from the
// models themselves (the CDNOW test checks the published figures).
#include "training/btyd/btyd_fitter.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "training/seeded_random.h"

namespace recommender {
namespace {

// Gamma(shape, scale) by Marsaglia & Tsang (2000).
double DrawGamma(SeededRandom& random, double shape, double scale) {
  if (shape < 1) {
    return DrawGamma(random, shape + 1, scale) *
           std::pow(1 - random.Uniform(), 1 / shape);
  }
  const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  while (true) {
    const double x = random.Normal();
    const double v = std::pow(1 + c * x, 3);
    if (v <= 0) continue;
    if (std::log(1 - random.Uniform()) < 0.5 * x * x + d - d * v + d * std::log(v)) {
      return d * v * scale;
    }
  }
}

// BG/NBD customers watched for 30 to 52 weeks after their first purchase,
// each repeat purchase worth Gamma(p, nu) with nu ~ Gamma(q, gamma).
std::vector<CustomerRfm> Simulate(const BgNbdParameters& b,
                                  const GammaGammaParameters& g, int n) {
  SeededRandom random(17);
  std::vector<CustomerRfm> customers;
  for (int i = 0; i < n; ++i) {
    const double rate = DrawGamma(random, b.r, 1 / b.alpha);
    const double x1 = DrawGamma(random, b.a, 1), x2 = DrawGamma(random, b.b, 1);
    const double dropout = x1 / (x1 + x2);
    const double nu = DrawGamma(random, g.q, 1 / g.gamma);
    CustomerRfm c;
    c.age = 30 + 22 * random.Uniform();
    double t = 0, spend = 0;
    while (true) {
      t += random.Exponential(1 / rate);
      if (t > c.age) break;
      c.frequency += 1;
      c.recency = t;
      spend += DrawGamma(random, g.p, 1 / nu);
      if (random.Bernoulli(dropout)) break;
    }
    if (c.frequency > 0) c.mean_repeat_value = spend / c.frequency;
    customers.push_back(c);
  }
  return customers;
}

const BgNbdParameters kBgNbd{0.5, 5, 0.8, 2.5};
const GammaGammaParameters kSpend{6, 4, 15};

TEST(BtydFitterTest, BgNbdRecoversSimulatedParameters) {
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(Simulate(kBgNbd, kSpend, 3000));
  ASSERT_TRUE(fit.ok()) << fit.status();
  const BgNbdParameters& p = fit->parameters;
  // Mean purchase rate r / alpha and mean dropout a / (a + b) are well
  // determined; the shapes less so.
  EXPECT_NEAR(p.r / p.alpha, 0.1, 0.01);
  EXPECT_NEAR(p.a / (p.a + p.b), 0.8 / 3.3, 0.04);
  EXPECT_NEAR(p.r, 0.5, 0.1);
  EXPECT_NEAR(p.a, 0.8, 0.3);
}

TEST(BtydFitterTest, ParetoNbdFitsTheSameCustomers) {
  const std::vector<CustomerRfm> customers = Simulate(kBgNbd, kSpend, 1000);
  absl::StatusOr<ParetoNbdFit> fit = FitParetoNbd(customers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  // A different story of dropping out, but the same purchase rates.
  EXPECT_NEAR(fit->parameters.r / fit->parameters.alpha, 0.1, 0.02);
  absl::StatusOr<BgNbdFit> bg_nbd = FitBgNbd(customers);
  ASSERT_TRUE(bg_nbd.ok());
  // The true model explains its own data at least about as well.
  EXPECT_GT(bg_nbd->log_likelihood, fit->log_likelihood - 10);
}

TEST(BtydFitterTest, GammaGammaRecoversTheMeanSpend) {
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma(Simulate(kBgNbd, kSpend, 3000));
  ASSERT_TRUE(fit.ok()) << fit.status();
  const GammaGammaParameters& p = fit->parameters;
  // Population mean spend p gamma / (q - 1) = 30.
  EXPECT_NEAR(p.p * p.gamma / (p.q - 1), 30, 3);
  EXPECT_NEAR(p.p, 6, 1.5);
}

TEST(BtydFitterTest, RefusesDataWithoutRepeatPurchases) {
  const std::vector<CustomerRfm> once = {{0, 0, 10, 0}, {0, 0, 20, 0}};
  EXPECT_EQ(FitBgNbd(once).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FitParetoNbd({}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(FitGammaGamma(once).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace recommender
