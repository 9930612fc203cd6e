// The fits recover the parameters of synthetic customers drawn from the
// models themselves (the CDNOW test checks the published figures).
#include "training/timing/btyd/btyd_fitter.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "training/internal/seeded_random.h"

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

TEST(BtydFitterTest, IdenticalCustomersCountAsMany) {
  // Grouping identical summaries is exact: doubling every customer doubles
  // the log-likelihood and leaves the maximum where it was.
  const std::vector<CustomerRfm> once = Simulate(kBgNbd, kSpend, 1000);
  std::vector<CustomerRfm> twice = once;
  twice.insert(twice.end(), once.begin(), once.end());
  absl::StatusOr<BgNbdFit> single = FitBgNbd(once);
  absl::StatusOr<BgNbdFit> doubled = FitBgNbd(twice);
  ASSERT_TRUE(single.ok() && doubled.ok());
  EXPECT_NEAR(doubled->log_likelihood, 2 * single->log_likelihood, 1e-6);
  EXPECT_NEAR(doubled->parameters.r, single->parameters.r, 1e-4);
  EXPECT_NEAR(doubled->parameters.a, single->parameters.a, 1e-4);
  absl::StatusOr<GammaGammaFit> spend = FitGammaGamma(once);
  absl::StatusOr<GammaGammaFit> spend_twice = FitGammaGamma(twice);
  ASSERT_TRUE(spend.ok() && spend_twice.ok());
  EXPECT_EQ(spend_twice->customers_used, 2 * spend->customers_used);
  EXPECT_NEAR(spend_twice->log_likelihood, 2 * spend->log_likelihood, 1e-6);
  EXPECT_NEAR(spend_twice->parameters.p, spend->parameters.p, 1e-3);
}

TEST(BtydFitterTest, ThreadsDoNotChangeTheFit) {
  // 5000 distinct customers: several blocks of the parallel sum.
  const std::vector<CustomerRfm> customers = Simulate(kBgNbd, kSpend, 5000);
  absl::StatusOr<BgNbdFit> one = FitBgNbd(customers, BtydFitOptions{1});
  absl::StatusOr<BgNbdFit> three = FitBgNbd(customers, BtydFitOptions{3});
  ASSERT_TRUE(one.ok() && three.ok());
  EXPECT_EQ(one->log_likelihood, three->log_likelihood);
  EXPECT_EQ(one->parameters.r, three->parameters.r);
  EXPECT_EQ(one->evaluations, three->evaluations);
}

TEST(BtydFitterTest, SampleIsSeededUniformAndInOrder) {
  std::vector<CustomerRfm> customers(100);
  for (int i = 0; i < 100; ++i) customers[i].age = i;
  const std::vector<CustomerRfm> sample = SampleCustomers(customers, 30, 7);
  ASSERT_EQ(sample.size(), 30u);
  for (size_t i = 1; i < sample.size(); ++i) {
    EXPECT_LT(sample[i - 1].age, sample[i].age);
  }
  const std::vector<CustomerRfm> again = SampleCustomers(customers, 30, 7);
  const std::vector<CustomerRfm> other = SampleCustomers(customers, 30, 8);
  bool same = true, differs = false;
  for (size_t i = 0; i < sample.size(); ++i) {
    same = same && again[i].age == sample[i].age;
    differs = differs || other[i].age != sample[i].age;
  }
  EXPECT_TRUE(same);
  EXPECT_TRUE(differs);
  EXPECT_EQ(SampleCustomers(customers, 0, 7).size(), 100u);
  EXPECT_EQ(SampleCustomers(customers, 500, 7).size(), 100u);
}

TEST(BtydFitterTest, SampledFitStaysCloseToTheFullFit) {
  const std::vector<CustomerRfm> all = Simulate(kBgNbd, kSpend, 16000);
  const std::vector<CustomerRfm> sample = SampleCustomers(all, 4000, 42);
  absl::StatusOr<BgNbdFit> full = FitBgNbd(all, BtydFitOptions{2});
  absl::StatusOr<BgNbdFit> part = FitBgNbd(sample, BtydFitOptions{2});
  ASSERT_TRUE(full.ok() && part.ok());
  const BgNbdParameters& f = full->parameters;
  const BgNbdParameters& s = part->parameters;
  // The well-determined figures within a few percent, the shapes within
  // their sampling error at 4000 customers.
  EXPECT_NEAR(s.r / s.alpha, f.r / f.alpha, 0.05 * f.r / f.alpha);
  EXPECT_NEAR(s.a / (s.a + s.b), f.a / (f.a + f.b), 0.1 * f.a / (f.a + f.b));
  EXPECT_NEAR(s.r, f.r, 0.15 * f.r);
  EXPECT_NEAR(s.a, f.a, 0.3 * f.a);
  absl::StatusOr<GammaGammaFit> full_spend = FitGammaGamma(all, BtydFitOptions{2});
  absl::StatusOr<GammaGammaFit> part_spend =
      FitGammaGamma(sample, BtydFitOptions{2});
  ASSERT_TRUE(full_spend.ok() && part_spend.ok());
  auto mean = [](const GammaGammaParameters& p) {
    return p.p * p.gamma / (p.q - 1);
  };
  EXPECT_NEAR(mean(part_spend->parameters), mean(full_spend->parameters),
              0.05 * mean(full_spend->parameters));
  EXPECT_NEAR(part_spend->parameters.p, full_spend->parameters.p,
              0.2 * full_spend->parameters.p);
}

TEST(BtydFitterTest, GammaGammaConvergesOnLargeSpendInManyCustomers) {
  // Spend in a currency of large units (mean 3000), as in a shop in yen:
  // the search starts at the data's mean spend and converges quickly.
  const std::vector<CustomerRfm> customers =
      Simulate(kBgNbd, {6, 4, 1500}, 12000);
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma(customers, BtydFitOptions{2});
  ASSERT_TRUE(fit.ok()) << fit.status();
  const GammaGammaParameters& p = fit->parameters;
  EXPECT_NEAR(p.p * p.gamma / (p.q - 1), 3000, 300);
  EXPECT_LT(fit->evaluations, 5000);
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
