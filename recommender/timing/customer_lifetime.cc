#include "recommender/timing/customer_lifetime.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

// CLV is summed over steps of this many days.
constexpr double kStepDays = 30;

}  // namespace

absl::StatusOr<CustomerLifetimeFigures> PredictCustomerLifetime(
    const CustomerLifetimeModel& model, const CustomerRfm& customer,
    double horizon_days, double annual_discount_rate) {
  if (!(horizon_days > 0 && horizon_days <= 36500)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "horizon_days: must be in (0, 36500], got ", horizon_days));
  }
  if (!(annual_discount_rate >= 0 && annual_discount_rate < 10)) {
    return absl::InvalidArgumentError(
        absl::StrCat("annual_discount_rate: must be in [0, 10), got ",
                     annual_discount_rate));
  }
  if (!IsValid(model.bg_nbd) || !(model.days_per_unit > 0)) {
    return absl::FailedPreconditionError(
        "no fitted BG/NBD parameters for customer lifetime figures");
  }
  CustomerLifetimeFigures figures;
  const double horizon = horizon_days / model.days_per_unit;
  figures.probability_active = BgNbdProbabilityAlive(model.bg_nbd, customer);
  figures.probability_order =
      BgNbdProbabilityPurchaseWithin(model.bg_nbd, customer, horizon);
  absl::StatusOr<double> orders =
      BgNbdExpectedPurchases(model.bg_nbd, customer, horizon);
  if (!orders.ok()) return orders.status();
  figures.expected_orders = *orders;
  if (IsValid(model.gamma_gamma) && model.gamma_gamma.q > 1) {
    figures.expected_order_value = GammaGammaExpectedValue(
        model.gamma_gamma, customer.frequency, customer.mean_repeat_value);
  }
  if (figures.expected_order_value <= 0) return figures;
  // Discounted sum of the expected orders of each step.
  const double rate = std::log1p(annual_discount_rate) / 365.0;
  double done_days = 0, done_orders = 0;
  while (done_days < horizon_days) {
    const double end_days = std::min(horizon_days, done_days + kStepDays);
    absl::StatusOr<double> cumulative = BgNbdExpectedPurchases(
        model.bg_nbd, customer, end_days / model.days_per_unit);
    if (!cumulative.ok()) return cumulative.status();
    figures.lifetime_value += figures.expected_order_value *
                              (*cumulative - done_orders) *
                              std::exp(-rate * end_days);
    done_days = end_days;
    done_orders = *cumulative;
  }
  return figures;
}

}  // namespace recommender
