// Conversions from the timing core's forecasts (recommender/timing/) to
// the public API's messages (recommender.v1).
#ifndef SERVING_TIMING_CONVERSIONS_H_
#define SERVING_TIMING_CONVERSIONS_H_

#include "proto/recommender.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/timing/customer_lifetime.h"
#include "recommender/timing/next_purchase.h"

namespace recommender::serving {

// Fills `out` with the forecast and its item's catalog fields.
void ToProto(const ModelSnapshot& snapshot, const ConsumableForecast& forecast,
             v1::ConsumableForecast* out);

void ToProto(const CustomerLifetimeFigures& figures, v1::CustomerLifetime* out);

v1::RepurchaseStatus ToProto(RepurchaseStatus status);

}  // namespace recommender::serving

#endif  // SERVING_TIMING_CONVERSIONS_H_
