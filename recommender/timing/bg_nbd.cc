#include "recommender/timing/bg_nbd.h"

#include <cmath>

#include "recommender/timing/special_functions.h"

namespace recommender {
namespace {

// log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x), the odds
// of having dropped out after the last purchase against being alive.
double LogDropoutOdds(const BgNbdParameters& p, const CustomerRfm& c) {
  const double x = c.frequency;
  return std::log(p.a / (p.b + x - 1)) +
         (p.r + x) * (std::log(p.alpha + c.age) - std::log(p.alpha + c.recency));
}

// E[Y(t) | ...] for a != 1.
absl::StatusOr<double> ExpectedPurchases(const BgNbdParameters& p,
                                         const CustomerRfm& c, double t) {
  const double x = c.frequency;
  const double z = t / (p.alpha + c.age + t);
  // ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) after Euler's
  // transformation: (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), which stays
  // well scaled for any x.
  absl::StatusOr<double> f =
      Hypergeometric2F1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
  if (!f.ok()) return f.status();
  const double numerator = (p.a + p.b + x - 1) / (p.a - 1) *
                           (1 - std::pow(1 - z, p.a - 1) * *f);
  return numerator * BgNbdProbabilityAlive(p, c);
}

}  // namespace

bool IsValid(const BgNbdParameters& p) {
  for (double v : {p.r, p.alpha, p.a, p.b}) {
    if (!std::isfinite(v) || v <= 0) return false;
  }
  return true;
}

BgNbdFrequencyTerms BgNbdTermsForFrequency(const BgNbdParameters& p,
                                           double x) {
  BgNbdFrequencyTerms terms;
  terms.common = LogGamma(p.r + x) - LogGamma(p.r) + p.r * std::log(p.alpha);
  const double log_beta_ab = LogBeta(p.a, p.b);
  terms.log_beta_alive = LogBeta(p.a, p.b + x) - log_beta_ab;
  if (x > 0) terms.log_beta_dropped = LogBeta(p.a + 1, p.b + x - 1) - log_beta_ab;
  return terms;
}

double BgNbdLogLikelihood(const BgNbdParameters& p,
                          const BgNbdFrequencyTerms& terms,
                          const CustomerRfm& c) {
  const double x = c.frequency;
  const double alive =
      terms.log_beta_alive - (p.r + x) * std::log(p.alpha + c.age);
  if (x <= 0) return terms.common + alive;
  const double dropped =
      terms.log_beta_dropped - (p.r + x) * std::log(p.alpha + c.recency);
  return terms.common + LogSumExp(alive, dropped);
}

double BgNbdLogLikelihood(const BgNbdParameters& p, const CustomerRfm& c) {
  return BgNbdLogLikelihood(p, BgNbdTermsForFrequency(p, c.frequency), c);
}

double BgNbdProbabilityAlive(const BgNbdParameters& p, const CustomerRfm& c) {
  if (c.frequency <= 0) return 1;
  return 1 / (1 + std::exp(LogDropoutOdds(p, c)));
}

absl::StatusOr<double> BgNbdExpectedPurchases(const BgNbdParameters& p,
                                              const CustomerRfm& c, double t) {
  if (t <= 0) return 0.0;
  // a = 1 is a removable singularity of the closed form.
  constexpr double kGap = 1e-6;
  if (std::abs(p.a - 1) < kGap) {
    BgNbdParameters above = p, below = p;
    above.a = 1 + kGap;
    below.a = 1 - kGap;
    absl::StatusOr<double> high = ExpectedPurchases(above, c, t);
    if (!high.ok()) return high.status();
    absl::StatusOr<double> low = ExpectedPurchases(below, c, t);
    if (!low.ok()) return low.status();
    return 0.5 * (*high + *low);
  }
  return ExpectedPurchases(p, c, t);
}

double BgNbdProbabilityPurchaseWithin(const BgNbdParameters& p,
                                      const CustomerRfm& c, double t) {
  if (t <= 0) return 0;
  const double none_if_alive =
      std::exp((p.r + c.frequency) * (std::log(p.alpha + c.age) -
                                      std::log(p.alpha + c.age + t)));
  return BgNbdProbabilityAlive(p, c) * (1 - none_if_alive);
}

double BgNbdTimeToNextPurchaseIfAlive(const BgNbdParameters& p,
                                      const CustomerRfm& c, double quantile) {
  // P(no purchase in t | alive) = ((alpha+T)/(alpha+T+t))^(r+x).
  return (p.alpha + c.age) *
         std::expm1(-std::log1p(-quantile) / (p.r + c.frequency));
}

}  // namespace recommender
