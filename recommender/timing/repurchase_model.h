// Item-level repurchase timing: when will this customer buy this
// consumable again?
//
// The model (parameters in snapshot::RepurchaseModel, fitted by
// training/timing/repurchase_fitter.h) is a hierarchical log-normal model of
// the days between two purchases of the same item by the same customer:
//
//   log(days) = mu[item] + g * log(units bought) + u[customer]
//               + w[customer, category] + v[customer, item] + noise,
//   noise ~ N(0, sigma[item]^2),
//
// where mu and sigma are the item's (shrunk toward its category's, and the
// category's toward the shop's, when the item has few intervals), and the
// customer's effects have priors N(0, customer_sd^2), N(0,
// customer_category_sd^2), N(0, customer_item_sd^2). A customer's effects
// are estimated from their own history by backfitting the posterior modes
// (residuals winsorized at 2.5 sigma, so one long pause does not move
// them much), which shrinks the customer's own intervals toward the
// population's in proportion to how much history there is: a customer
// with no interval of an item still gets the item's interval, scaled by
// how fast they use up their other consumables.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_REPURCHASE_MODEL_H_
#define RECOMMENDER_TIMING_REPURCHASE_MODEL_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/types/span.h"
#include "proto/snapshot.pb.h"
#include "recommender/timing/repurchase_intervals.h"

namespace recommender {

// A customer effect on the log scale: posterior mean and variance.
struct Effect {
  double mean = 0;
  double variance = 0;
};

struct CustomerEffects {
  Effect customer;
  absl::flat_hash_map<int32_t, Effect> category;  // By category group.
  absl::flat_hash_map<int32_t, Effect> item;      // By item row.
};

// The customer's effects given their intervals. Intervals of items the
// model does not know as consumables are ignored.
CustomerEffects EstimateCustomerEffects(
    const snapshot::RepurchaseModel& model,
    absl::Span<const RepurchaseInterval> intervals);

// The distribution of the customer's next interval for one item.
struct IntervalForecast {
  int32_t item = 0;
  // Purchases (same-day ones merged) up to the forecast time.
  int32_t times_bought = 0;
  // The customer's own intervals of this item.
  int32_t own_intervals = 0;
  int64_t last_purchase_seconds = 0;
  int32_t last_quantity = 1;
  // From the last purchase to the forecast time.
  double elapsed_days = 0;
  // log(days from the last purchase to the next) ~ N(log_mean, log_sd^2).
  double log_mean = 0;
  double log_sd = 0;

  // The median interval: "re-bought about every N days".
  double TypicalDays() const;
  // The q-quantile of the interval, q in (0, 1).
  double QuantileDays(double q) const;
  // The q-quantile of the interval given that it is longer than
  // elapsed_days (the item has not been bought again yet): always at least
  // elapsed_days.
  double ConditionalQuantileDays(double q) const;
  // P(the next purchase comes within `days` after the forecast time | not
  // bought again yet).
  double ProbabilityWithin(double days) const;
};

// One forecast per consumable the customer bought at or before
// `as_of_seconds`, in order of first purchase. Purchases after it are
// ignored (what-if forecasts for a past time).
std::vector<IntervalForecast> ForecastRepurchases(
    const snapshot::RepurchaseModel& model,
    absl::Span<const ConsumablePurchase> purchases, int64_t as_of_seconds);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_REPURCHASE_MODEL_H_
