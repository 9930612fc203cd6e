// Conversions between the public API's timing messages (recommender.v1)
// and the timing core (recommender/timing/), with the API's defaults for
// fields left 0.
#ifndef SERVING_TIMING_CONVERSIONS_H_
#define SERVING_TIMING_CONVERSIONS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/recommender.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/timing/customer_lifetime.h"
#include "recommender/timing/due_customers.h"
#include "recommender/timing/next_purchase.h"

namespace recommender::serving {

// PredictNextPurchaseRequest.horizon_days when 0.
inline constexpr int32_t kDefaultHorizonDays = 30;
// ListDueCustomersRequest.max_customers when 0.
inline constexpr int32_t kDefaultMaxDueCustomers = 1000;

// The request's horizon, or kDefaultHorizonDays (range checks are the
// core's).
int32_t HorizonDays(const v1::PredictNextPurchaseRequest& request);

// The selection the request describes, at `as_of`. InvalidArgument naming
// due_from or due_to for a malformed day; the other checks are the core's
// (SelectDueCustomers).
absl::StatusOr<DueSelection> FromProto(const v1::ListDueCustomersRequest& request,
                                       absl::Time as_of);

// Fills the response's customer figures and forecasts (not its ids, times
// or model version).
void ToProto(const ModelSnapshot& snapshot,
             const NextPurchasePrediction& prediction,
             v1::PredictNextPurchaseResponse* out);

// Fills the response's customers and total (not its model version).
void ToProto(const ModelSnapshot& snapshot, const DueCustomers& due,
             v1::ListDueCustomersResponse* out);

// Fills `out` with the forecast and its item's catalog fields.
void ToProto(const ModelSnapshot& snapshot, const ConsumableForecast& forecast,
             v1::ConsumableForecast* out);

void ToProto(const CustomerLifetimeFigures& figures, v1::CustomerLifetime* out);

v1::RepurchaseStatus ToProto(RepurchaseStatus status);

}  // namespace recommender::serving

#endif  // SERVING_TIMING_CONVERSIONS_H_
