#include "recommender/segments/lifetime_value.h"

#include <cmath>

#include "recommender/segments/quantile_scores.h"
#include "recommender/timing/bg_nbd.h"
#include "recommender/timing/gamma_gamma.h"

namespace recommender::segments {

absl::StatusOr<double> LifetimeValue(const CustomerLifetimeModel& model,
                                     const CustomerRfm& customer,
                                     double horizon_days) {
  if (!IsValid(model.gamma_gamma) || model.gamma_gamma.q <= 1) return 0.0;
  const double order_value = GammaGammaExpectedValue(
      model.gamma_gamma, customer.frequency, customer.mean_repeat_value);
  if (!(order_value > 0)) return 0.0;
  absl::StatusOr<double> orders = BgNbdExpectedPurchases(
      model.bg_nbd, customer, horizon_days / model.days_per_unit);
  if (!orders.ok()) return orders.status();
  return order_value * *orders;
}

std::vector<uint8_t> LifetimeValueDeciles(absl::Span<const float> values) {
  std::vector<double> wide(values.begin(), values.end());
  return QuantileScores(wide, 10);
}

}  // namespace recommender::segments
