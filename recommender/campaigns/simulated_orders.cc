#include "recommender/campaigns/simulated_orders.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace recommender::campaigns {

absl::Status CheckRates(
    std::initializer_list<std::pair<absl::string_view, double>> rates) {
  for (const auto& [field, value] : rates) {
    if (!(value >= 0 && value <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must be in [0, 1], got ", value));
    }
  }
  return absl::OkStatus();
}

std::vector<int64_t> SimulatedOrderTimes(SplitMix64& random, int64_t t0,
                                         int64_t window,
                                         double second_order_rate) {
  std::vector<int64_t> times = {static_cast<int64_t>(random.Below(window))};
  if (random.Uniform() < second_order_rate) {
    // A second order at another moment of the window.
    int64_t second = static_cast<int64_t>(random.Below(window - 1));
    if (second >= times[0]) ++second;
    times.push_back(second);
    std::sort(times.begin(), times.end());
  }
  for (int64_t& t : times) t += t0;
  return times;
}

}  // namespace recommender::campaigns
