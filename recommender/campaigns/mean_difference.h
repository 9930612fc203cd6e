// Confidence intervals for a difference of means, for the campaign
// report's revenue and orders per customer (mailed vs control). Revenue per
// customer is mostly zeros with a long tail, so two methods are offered:
//
//   Welch (1947): d = mean1 - mean2 +- t(df) * se, se^2 = s1^2/n1 + s2^2/n2,
//   with the Welch-Satterthwaite degrees of freedom
//     df = se^4 / ((s1^2/n1)^2/(n1-1) + (s2^2/n2)^2/(n2-1)).
//   No equal-variance assumption; by the central limit theorem it is right
//   for the group sizes of real campaigns (hundreds and more).
//
//   The percentile bootstrap (Efron & Tibshirani 1993): both groups
//   resampled with replacement, seeded so that a report is reproducible;
//   for small groups or very skewed spend. Cost: resamples x (n1 + n2).
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_MEAN_DIFFERENCE_H_
#define RECOMMENDER_CAMPAIGNS_MEAN_DIFFERENCE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "recommender/campaigns/proportion_interval.h"

namespace recommender::campaigns {

// Count, mean and unbiased variance of one group's values.
struct MeanSummary {
  int64_t count = 0;
  double mean = 0;
  double variance = 0;  // With n - 1 in the denominator; 0 for n < 2.
};

// Welford's one-pass summary (stable for large sums of money).
MeanSummary Summarize(absl::Span<const double> values);

// Student's t distribution function P(T <= t) with `df` > 0 degrees of
// freedom (via the regularized incomplete beta function).
double StudentTCdf(double t, double df);

// Its inverse for p in (0, 1); the normal quantile once df > 1e7.
double StudentTQuantile(double p, double df);

// Welch's interval of mean1 - mean2, and the degrees of freedom used.
// InvalidArgument unless both groups have at least 2 values and
// 0 < confidence < 1. Two constant groups give a zero-width interval.
absl::StatusOr<Interval> WelchDifferenceInterval(const MeanSummary& group1,
                                                 const MeanSummary& group2,
                                                 double confidence = 0.95,
                                                 double* degrees_of_freedom =
                                                     nullptr);

// Percentile-bootstrap interval of mean(values1) - mean(values2) from
// `resamples` (100 to 100,000) seeded resamples. InvalidArgument naming the
// argument for an empty group or a count out of range.
absl::StatusOr<Interval> BootstrapDifferenceInterval(
    absl::Span<const double> values1, absl::Span<const double> values2,
    int resamples, uint64_t seed, double confidence = 0.95);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_MEAN_DIFFERENCE_H_
