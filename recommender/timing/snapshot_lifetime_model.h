// The customer-lifetime model a snapshot stores (fitted by the trainer), as
// the parameters PredictCustomerLifetime and the segments' lifetime values
// read.
//
// Thread-safe: a pure function.
#ifndef RECOMMENDER_TIMING_SNAPSHOT_LIFETIME_MODEL_H_
#define RECOMMENDER_TIMING_SNAPSHOT_LIFETIME_MODEL_H_

#include <optional>

#include "recommender/model/model_snapshot.h"
#include "recommender/timing/customer_lifetime.h"

namespace recommender {

// The snapshot's customer-lifetime model; nullopt if it has none (or its
// BG/NBD parameters are not valid).
std::optional<CustomerLifetimeModel> LifetimeModelOf(
    const ModelSnapshot& snapshot);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_SNAPSHOT_LIFETIME_MODEL_H_
