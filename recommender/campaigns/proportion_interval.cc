#include "recommender/campaigns/proportion_interval.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "recommender/timing/special_functions.h"

namespace recommender::campaigns {

absl::StatusOr<Interval> WilsonInterval(int64_t successes, int64_t trials,
                                        double confidence) {
  if (trials < 1 || successes < 0 || successes > trials) {
    return absl::InvalidArgumentError(absl::StrCat(
        "proportion: need 0 <= successes <= trials and trials >= 1, got ",
        successes, " of ", trials));
  }
  if (!(confidence > 0 && confidence < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidence: must be in (0, 1), got ", confidence));
  }
  const double z = NormalQuantile(0.5 + confidence / 2);
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half =
      z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  Interval interval;
  interval.estimate = p;
  // Exact at the ends (rounding would otherwise leave 1e-17 gaps).
  interval.lower = successes == 0 ? 0 : std::max(0.0, center - half);
  interval.upper = successes == trials ? 1 : std::min(1.0, center + half);
  return interval;
}

absl::StatusOr<Interval> NewcombeDifferenceInterval(int64_t successes1,
                                                    int64_t trials1,
                                                    int64_t successes2,
                                                    int64_t trials2,
                                                    double confidence) {
  absl::StatusOr<Interval> one = WilsonInterval(successes1, trials1, confidence);
  if (!one.ok()) return one.status();
  absl::StatusOr<Interval> two = WilsonInterval(successes2, trials2, confidence);
  if (!two.ok()) return two.status();
  const double p1 = one->estimate, p2 = two->estimate;
  Interval d;
  d.estimate = p1 - p2;
  d.lower = d.estimate - std::hypot(p1 - one->lower, two->upper - p2);
  d.upper = d.estimate + std::hypot(one->upper - p1, p2 - two->lower);
  d.lower = std::max(-1.0, d.lower);
  d.upper = std::min(1.0, d.upper);
  return d;
}

}  // namespace recommender::campaigns
