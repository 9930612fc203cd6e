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

// Customers with Gamma(r, alpha) purchase rates watched for 30 to 100
// weeks, who drop out after a purchase with the chance `dropout` gives
// (the same for all, or none at all): data whose dropout Beta has no
// spread.
std::vector<CustomerRfm> SimulateWithDropout(double dropout, int n) {
  SeededRandom random(23);
  std::vector<CustomerRfm> customers;
  for (int i = 0; i < n; ++i) {
    const double rate = DrawGamma(random, 1.5, 1 / 10.0);
    CustomerRfm c;
    c.age = 30 + 70 * random.Uniform();
    double t = 0;
    while (true) {
      t += random.Exponential(1 / rate);
      if (t > c.age) break;
      c.frequency += 1;
      c.recency = t;
      if (random.Bernoulli(dropout)) break;
    }
    customers.push_back(c);
  }
  return customers;
}

// A shop's customers in days: Gamma(2) purchase rates averaging 6 a year,
// watched for 100 to 640 days, all with the same dropout chance.
std::vector<CustomerRfm> SimulateShopWithSameDropout(double dropout, int n) {
  SeededRandom random(1);
  std::vector<CustomerRfm> customers;
  for (int i = 0; i < n; ++i) {
    const double rate = DrawGamma(random, 2, 6 / 365.0 / 2);
    CustomerRfm c;
    c.age = 100 + 540 * random.Uniform();
    double t = 0;
    while (true) {
      t += random.Exponential(1 / rate);
      if (t > c.age) break;
      c.frequency += 1;
      c.recency = t;
      if (random.Bernoulli(dropout)) break;
    }
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

TEST(BtydFitterTest, InteriorEstimateIsNotABoundary) {
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(Simulate(kBgNbd, kSpend, 3000));
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->boundary, BgNbdBoundary::kNone);
  // The profile along the dropout mean peaks inside, near the truth.
  const std::vector<double> means = {0.5, 0.24, 0.01, 1e-4};
  absl::StatusOr<std::vector<BgNbdFit>> profile =
      ProfileBgNbd(Simulate(kBgNbd, kSpend, 3000),
                   BgNbdProfileAxis::kDropoutMean, means);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_GT((*profile)[1].log_likelihood, (*profile)[0].log_likelihood);
  EXPECT_GT((*profile)[1].log_likelihood, (*profile)[2].log_likelihood + 10);
  EXPECT_GT((*profile)[2].log_likelihood, (*profile)[3].log_likelihood);
  EXPECT_NEAR((*profile)[1].log_likelihood, fit->log_likelihood, 1);
}

// Nobody drops out: the estimate is a -> 0 with b wherever the search
// stopped (any b fits as well), as a real wholesaler's data gave (a =
// 0.0000, b = 281). The profile likelihood rises all the way to the edge:
// the data ask for it, not the search.
TEST(BtydFitterTest, DataWithoutDropoutPutTheEstimateAtNoDropout) {
  const std::vector<CustomerRfm> customers = SimulateWithDropout(0, 3000);
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(customers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->boundary, BgNbdBoundary::kNoDropout);
  EXPECT_LT(fit->parameters.a / (fit->parameters.a + fit->parameters.b), 1e-6);
  // The purchase rates are still right.
  EXPECT_NEAR(fit->parameters.r / fit->parameters.alpha, 0.15, 0.015);
  const std::vector<double> means = {0.1, 1e-2, 1e-3, 1e-4, 1e-6};
  absl::StatusOr<std::vector<BgNbdFit>> profile =
      ProfileBgNbd(customers, BgNbdProfileAxis::kDropoutMean, means);
  ASSERT_TRUE(profile.ok()) << profile.status();
  for (size_t i = 1; i < means.size(); ++i) {
    EXPECT_GT((*profile)[i].log_likelihood, (*profile)[i - 1].log_likelihood)
        << means[i];
  }
  EXPECT_NEAR(profile->back().log_likelihood, fit->log_likelihood, 0.01);
}

// Everyone drops out with the same chance: along the dropout Beta's
// concentration a + b the likelihood rises to a plateau reaching to
// infinity (a Beta without spread). Searched in (log a, log b) and judged
// converged only when the simplex's values agreed to 1e-10, the fit on
// these customers crawled along the curved ridge and ran out of
// evaluations (as it did on 12 of 18 such simulated shops); in the axes
// (logit mean, log concentration) it settles quickly with the mean right.
TEST(BtydFitterTest, SameDropoutForAllIsARidgeTheSearchSettlesOn) {
  const std::vector<CustomerRfm> customers =
      SimulateShopWithSameDropout(0.02, 2000);
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(customers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  const BgNbdParameters& p = fit->parameters;
  EXPECT_NEAR(p.a / (p.a + p.b), 0.02, 0.006);
  EXPECT_EQ(fit->boundary, BgNbdBoundary::kSameDropout);
  EXPECT_LT(fit->evaluations, 3000);
  const std::vector<double> concentrations = {1, 10, 100, 1e4, 1e6};
  absl::StatusOr<std::vector<BgNbdFit>> profile = ProfileBgNbd(
      customers, BgNbdProfileAxis::kDropoutConcentration, concentrations);
  ASSERT_TRUE(profile.ok()) << profile.status();
  const std::vector<BgNbdFit>& at = *profile;
  EXPECT_GT(at[1].log_likelihood, at[0].log_likelihood + 1);
  EXPECT_GT(at[2].log_likelihood, at[1].log_likelihood + 1);
  EXPECT_NEAR(at[3].log_likelihood, at[4].log_likelihood, 0.05);
  for (const BgNbdFit& point : at) {
    EXPECT_GE(fit->log_likelihood, point.log_likelihood - 0.01);
  }
  EXPECT_EQ(ProfileBgNbd(customers, BgNbdProfileAxis::kDropoutMean, {1.5})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BtydFitterTest, BoundaryClassification) {
  EXPECT_EQ(ClassifyBgNbdBoundary({1, 10, 0.8, 2.5}), BgNbdBoundary::kNone);
  EXPECT_EQ(ClassifyBgNbdBoundary({1, 10, 1e-5, 281}), BgNbdBoundary::kNoDropout);
  EXPECT_EQ(ClassifyBgNbdBoundary({1, 10, 2e4, 1e6}), BgNbdBoundary::kSameDropout);
  EXPECT_STREQ(BgNbdBoundaryName(BgNbdBoundary::kNoDropout), "no_dropout");
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
