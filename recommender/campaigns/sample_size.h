// How many customers a campaign needs for its uplift to be measurable: the
// control-group size that detects a given uplift in response rate, and the
// smallest uplift a given audience can detect.
//
// The normal-approximation sample size for comparing two proportions with
// unequal groups (Fleiss, Levin & Paik 2003, section 4.4, without the
// continuity correction): with control rate p_c, mailed rate
// p_t = p_c + uplift, k = mailed / control customers,
//   p = (p_c + k p_t) / (1 + k),
//   n_control = [z(1 - alpha/2) sqrt(p (1 - p) (1 + 1/k))
//                + z(power) sqrt(p_c (1 - p_c) + p_t (1 - p_t) / k)]^2
//               / uplift^2.
// With k = 1, p_c = 0.10 and p_t = 0.20 it gives the textbook 199 per group.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_SAMPLE_SIZE_H_
#define RECOMMENDER_CAMPAIGNS_SAMPLE_SIZE_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace recommender::campaigns {

struct SampleSizeQuestion {
  // The control group's expected response rate, in (0, 1).
  double baseline_rate = 0.05;
  // The uplift to detect, in rate points (0.01 = one point); baseline +
  // uplift must stay in (0, 1). May be negative.
  double uplift = 0.01;
  // Share of the audience held back, in (0, 1).
  double control_share = 0.1;
  // Two-sided significance level and power, each in (0, 1).
  double alpha = 0.05;
  double power = 0.8;
};

struct SampleSize {
  int64_t control = 0;
  int64_t mailed = 0;
  int64_t total = 0;
};

// Customers needed (rounded up). InvalidArgument naming the field.
absl::StatusOr<SampleSize> RequiredSampleSize(const SampleSizeQuestion& q);

// The smallest positive uplift (rate points) that an audience of
// `customers` split by q.control_share detects with q.alpha and q.power
// (q.uplift is ignored); at most 1 - baseline. InvalidArgument as above,
// or for customers < 2.
absl::StatusOr<double> MinimumDetectableUplift(const SampleSizeQuestion& q,
                                               int64_t customers);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_SAMPLE_SIZE_H_
