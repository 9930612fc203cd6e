// Per-customer lifetime figures from the fitted population models: the
// probability that the customer is still active, the orders expected in a
// horizon, the expected order value and the customer lifetime value (CLV)
// over that horizon. BG/NBD (Fader, Hardie & Lee 2005) gives the order
// counts, Gamma-Gamma (Fader, Hardie & Lee 2005b) the order values.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_CUSTOMER_LIFETIME_H_
#define RECOMMENDER_TIMING_CUSTOMER_LIFETIME_H_

#include "absl/status/statusor.h"
#include "recommender/timing/bg_nbd.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/gamma_gamma.h"

namespace recommender {

// The fitted population parameters the figures come from.
struct CustomerLifetimeModel {
  BgNbdParameters bg_nbd;
  // Unset (all zero) if spend could not be fitted; values are then 0.
  GammaGammaParameters gamma_gamma;
  // Length of the parameters' time unit in days (7 if fitted in weeks).
  double days_per_unit = 1;
};

struct CustomerLifetimeFigures {
  // P(still active now), BG/NBD.
  double probability_active = 0;
  // Orders expected in the horizon.
  double expected_orders = 0;
  // P(at least one order in the horizon).
  double probability_order = 0;
  // Expected value of one future order (shop currency); Gamma-Gamma
  // shrinks the customer's mean repeat order value toward the population's.
  double expected_order_value = 0;
  // Sum over the horizon of expected order value times expected orders,
  // discounted continuously at `annual_discount_rate`, month by month.
  double lifetime_value = 0;
};

// `customer` must be summarized in the model's time unit. InvalidArgument
// for a horizon outside (0, 36500] days or a discount rate outside [0, 10);
// Internal if a hypergeometric series fails.
absl::StatusOr<CustomerLifetimeFigures> PredictCustomerLifetime(
    const CustomerLifetimeModel& model, const CustomerRfm& customer,
    double horizon_days, double annual_discount_rate = 0);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_CUSTOMER_LIFETIME_H_
