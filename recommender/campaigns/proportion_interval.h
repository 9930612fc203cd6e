// Confidence intervals for response rates and their difference, for the
// campaign report: the share of mailed customers who bought, the share of
// the control group who bought, and the uplift between them.
//
//   Wilson (1927) score interval for one proportion;
//   Newcombe (1998) hybrid score interval for a difference of two
//   independent proportions ("method 10" of Newcombe, R. G., Interval
//   estimation for the difference between independent proportions:
//   comparison of eleven methods, Statistics in Medicine 17:873-890):
//     L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
//     U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2)
//   with (l_i, u_i) the Wilson limits of p_i. Unlike the textbook Wald
//   interval it keeps close to its nominal coverage for small groups and
//   rates near 0 (a campaign's typical 1-5% response), and never leaves
//   [-1, 1].
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_PROPORTION_INTERVAL_H_
#define RECOMMENDER_CAMPAIGNS_PROPORTION_INTERVAL_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace recommender::campaigns {

// An estimate with its two-sided confidence interval.
struct Interval {
  double estimate = 0;
  double lower = 0;
  double upper = 0;

  bool Contains(double value) const { return lower <= value && value <= upper; }
  // True if the whole interval lies above (below) zero.
  bool AboveZero() const { return lower > 0; }
  bool BelowZero() const { return upper < 0; }
};

// Wilson score interval of successes / trials. InvalidArgument unless
// 0 <= successes <= trials, trials >= 1, 0 < confidence < 1.
absl::StatusOr<Interval> WilsonInterval(int64_t successes, int64_t trials,
                                        double confidence = 0.95);

// Newcombe's hybrid score interval of p1 - p2 (p_i = successes_i /
// trials_i); errors as for WilsonInterval, for either group.
absl::StatusOr<Interval> NewcombeDifferenceInterval(int64_t successes1,
                                                    int64_t trials1,
                                                    int64_t successes2,
                                                    int64_t trials2,
                                                    double confidence = 0.95);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_PROPORTION_INTERVAL_H_
