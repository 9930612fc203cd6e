#include "recommender/campaigns/mean_difference.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "recommender/campaigns/splitmix.h"
#include "recommender/timing/special_functions.h"

namespace recommender::campaigns {
namespace {

// The continued fraction of the incomplete beta function (modified Lentz
// method), for x < (a + 1) / (a + b + 2), where it converges quickly.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < kEpsilon) break;
  }
  return h;
}

// The regularized incomplete beta function I_x(a, b).
double RegularizedIncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      a * std::log(x) + b * std::log1p(-x) - LogBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  }
  return 1 - std::exp(log_front) * BetaContinuedFraction(b, a, 1 - x) / b;
}

}  // namespace

MeanSummary Summarize(absl::Span<const double> values) {
  MeanSummary s;
  double m2 = 0;
  for (double v : values) {
    ++s.count;
    const double delta = v - s.mean;
    s.mean += delta / static_cast<double>(s.count);
    m2 += delta * (v - s.mean);
  }
  s.variance = s.count > 1 ? m2 / static_cast<double>(s.count - 1) : 0;
  return s;
}

double StudentTCdf(double t, double df) {
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  const double x = df / (df + t * t);
  const double tail = 0.5 * RegularizedIncompleteBeta(df / 2, 0.5, x);
  return t > 0 ? 1 - tail : tail;
}

double StudentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return NAN;
  if (df > 1e7) return NormalQuantile(p);
  if (p < 0.5) return -StudentTQuantile(1 - p, df);
  if (p == 0.5) return 0;
  // Bracket, then bisect: the distribution function is monotone.
  double lo = 0, hi = std::max(1.0, 2 * NormalQuantile(p));
  while (StudentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (StudentTCdf(mid, df) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

absl::StatusOr<Interval> WelchDifferenceInterval(const MeanSummary& group1,
                                                 const MeanSummary& group2,
                                                 double confidence,
                                                 double* degrees_of_freedom) {
  if (group1.count < 2 || group2.count < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "groups: Welch's interval needs at least 2 values in each group, got ",
        group1.count, " and ", group2.count));
  }
  if (!(confidence > 0 && confidence < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidence: must be in (0, 1), got ", confidence));
  }
  const double v1 = group1.variance / static_cast<double>(group1.count);
  const double v2 = group2.variance / static_cast<double>(group2.count);
  const double se2 = v1 + v2;
  Interval d;
  d.estimate = group1.mean - group2.mean;
  double df = NAN;
  if (se2 > 0) {
    df = se2 * se2 / (v1 * v1 / static_cast<double>(group1.count - 1) +
                      v2 * v2 / static_cast<double>(group2.count - 1));
    const double half =
        StudentTQuantile(0.5 + confidence / 2, df) * std::sqrt(se2);
    d.lower = d.estimate - half;
    d.upper = d.estimate + half;
  } else {
    d.lower = d.upper = d.estimate;
  }
  if (degrees_of_freedom != nullptr) *degrees_of_freedom = df;
  return d;
}

absl::StatusOr<Interval> BootstrapDifferenceInterval(
    absl::Span<const double> values1, absl::Span<const double> values2,
    int resamples, uint64_t seed, double confidence) {
  if (values1.empty() || values2.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "groups: the bootstrap needs values in both groups, got ",
        values1.size(), " and ", values2.size()));
  }
  if (resamples < 100 || resamples > 100000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "resamples: must be 100 to 100000, got ", resamples));
  }
  if (!(confidence > 0 && confidence < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidence: must be in (0, 1), got ", confidence));
  }
  SplitMix64 random(seed);
  auto resampled_mean = [&random](absl::Span<const double> values) {
    double sum = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      sum += values[random.Below(values.size())];
    }
    return sum / static_cast<double>(values.size());
  };
  std::vector<double> differences(static_cast<size_t>(resamples));
  for (double& d : differences) {
    d = resampled_mean(values1) - resampled_mean(values2);
  }
  std::sort(differences.begin(), differences.end());
  // Percentiles by the nearest rank of (B + 1) * q, clamped to the ends.
  auto at = [&](double q) {
    const double rank = q * static_cast<double>(resamples + 1);
    const int64_t k = std::clamp<int64_t>(std::llround(rank) - 1, 0,
                                          resamples - 1);
    return differences[static_cast<size_t>(k)];
  };
  Interval d;
  d.estimate = Summarize(values1).mean - Summarize(values2).mean;
  d.lower = at((1 - confidence) / 2);
  d.upper = at((1 + confidence) / 2);
  return d;
}

}  // namespace recommender::campaigns
