// Customer lifetime value for segments: the spend the timing model expects
// from a customer over a horizon (BG/NBD orders, Fader, Hardie & Lee 2005,
// times the Gamma-Gamma order value, Fader, Hardie & Lee 2005b), and its
// deciles over the shop's customers.
//
// The value equals PredictNextPurchase's lifetime_value for the same
// horizon without discounting (recommender/timing/customer_lifetime.h):
// undiscounted, the month-by-month sum telescopes to expected orders over
// the whole horizon times the expected order value, so one hypergeometric
// evaluation per customer suffices.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_SEGMENTS_LIFETIME_VALUE_H_
#define RECOMMENDER_SEGMENTS_LIFETIME_VALUE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/timing/customer_lifetime.h"
#include "recommender/timing/customer_rfm.h"

namespace recommender::segments {

// Expected spend over `horizon_days` (> 0) of a customer summarized in the
// model's time unit; 0 if the model has no spend part. Error only if the
// hypergeometric series fails.
absl::StatusOr<double> LifetimeValue(const CustomerLifetimeModel& model,
                                     const CustomerRfm& customer,
                                     double horizon_days);

// Deciles 1 (lowest tenth) to 10 (highest) of the customers' lifetime
// values (quantile_scores.h); 0 where the value is unknown (NaN).
std::vector<uint8_t> LifetimeValueDeciles(absl::Span<const float> values);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_LIFETIME_VALUE_H_
