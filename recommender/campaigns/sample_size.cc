#include "recommender/campaigns/sample_size.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "recommender/timing/special_functions.h"

namespace recommender::campaigns {
namespace {

absl::Status CheckOpenUnit(absl::string_view field, double value) {
  if (value > 0 && value < 1) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be between 0 and 1 (exclusive), got ", value));
}

absl::Status Check(const SampleSizeQuestion& q) {
  for (const auto& [field, value] :
       {std::pair<absl::string_view, double>{"baseline_rate", q.baseline_rate},
        {"control_share", q.control_share},
        {"alpha", q.alpha},
        {"power", q.power}}) {
    if (absl::Status s = CheckOpenUnit(field, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Control customers needed, unrounded.
double ControlSize(const SampleSizeQuestion& q) {
  const double k = (1 - q.control_share) / q.control_share;
  const double pc = q.baseline_rate, pt = q.baseline_rate + q.uplift;
  const double p = (pc + k * pt) / (1 + k);
  const double za = NormalQuantile(1 - q.alpha / 2);
  const double zb = NormalQuantile(q.power);
  const double root = za * std::sqrt(p * (1 - p) * (1 + 1 / k)) +
                      zb * std::sqrt(pc * (1 - pc) + pt * (1 - pt) / k);
  return root * root / (q.uplift * q.uplift);
}

}  // namespace

absl::StatusOr<SampleSize> RequiredSampleSize(const SampleSizeQuestion& q) {
  if (absl::Status s = Check(q); !s.ok()) return s;
  if (q.uplift == 0 || !std::isfinite(q.uplift)) {
    return absl::InvalidArgumentError("uplift: must not be 0");
  }
  if (absl::Status s = CheckOpenUnit("baseline_rate + uplift",
                                     q.baseline_rate + q.uplift);
      !s.ok()) {
    return s;
  }
  const double control = ControlSize(q);
  const double k = (1 - q.control_share) / q.control_share;
  SampleSize size;
  // A hair below an integer is that integer (k is rarely exact).
  size.control = static_cast<int64_t>(std::ceil(control - 1e-9));
  size.mailed = static_cast<int64_t>(std::ceil(control * k - 1e-9));
  size.total = size.control + size.mailed;
  return size;
}

absl::StatusOr<double> MinimumDetectableUplift(const SampleSizeQuestion& q,
                                               int64_t customers) {
  if (absl::Status s = Check(q); !s.ok()) return s;
  if (customers < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("customers: must be at least 2, got ", customers));
  }
  const double control = static_cast<double>(customers) * q.control_share;
  // The control size needed falls as the uplift grows: bisect.
  double lo = 0, hi = 1 - q.baseline_rate;
  SampleSizeQuestion at = q;
  at.uplift = hi * (1 - 1e-12);
  if (ControlSize(at) > control) return hi;
  for (int i = 0; i < 100; ++i) {
    at.uplift = (lo + hi) / 2;
    (ControlSize(at) > control ? lo : hi) = at.uplift;
  }
  return hi;
}

}  // namespace recommender::campaigns
