#include "training/tuning/self_tuning/tuning_deadline.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/time/clock.h"

namespace recommender {

TuningDeadline::TuningDeadline(absl::Duration budget, Clock clock)
    : budget_(budget),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })),
      start_(clock_()) {}

absl::Duration TuningDeadline::Remaining() const {
  if (!bounded()) return absl::InfiniteDuration();
  return std::max(absl::ZeroDuration(), budget_ - Elapsed());
}

absl::Time TuningDeadline::At(double share) const {
  if (!bounded()) return absl::InfiniteFuture();
  return start_ + std::clamp(share, 0.0, 1.0) * budget_;
}

bool TuningDeadline::Fits(absl::Duration expected, double share) const {
  if (!bounded()) return true;
  return Now() + std::max(expected, absl::ZeroDuration()) <= At(share);
}

int32_t RoundsThatFit(int32_t wanted, absl::Duration per_round,
                      absl::Duration available) {
  wanted = std::max<int32_t>(1, wanted);
  if (per_round <= absl::ZeroDuration() ||
      available == absl::InfiniteDuration()) {
    return wanted;
  }
  const double fit = std::floor(absl::FDivDuration(
      std::max(available, absl::ZeroDuration()), per_round));
  return static_cast<int32_t>(
      std::clamp<double>(fit, 1, static_cast<double>(wanted)));
}

int64_t ItemsThatFit(int64_t total, absl::Duration per_item,
                     absl::Duration available, int64_t at_least) {
  total = std::max<int64_t>(0, total);
  const int64_t floor_items = std::min(total, std::max<int64_t>(0, at_least));
  if (per_item <= absl::ZeroDuration() ||
      available == absl::InfiniteDuration()) {
    return total;
  }
  const double fit = std::floor(absl::FDivDuration(
      std::max(available, absl::ZeroDuration()), per_item));
  return static_cast<int64_t>(std::clamp<double>(
      fit, static_cast<double>(floor_items), static_cast<double>(total)));
}

}  // namespace recommender
