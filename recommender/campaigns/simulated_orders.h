// Pieces the known-effect simulations share (of campaigns,
// known_effect_simulation.h, and of storefront experiments,
// experiment_simulation.h): checking their rates, and when a buyer orders
// within the attribution window.
//
// Thread-safe: pure functions (the random source is the caller's).
#ifndef RECOMMENDER_CAMPAIGNS_SIMULATED_ORDERS_H_
#define RECOMMENDER_CAMPAIGNS_SIMULATED_ORDERS_H_

#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "recommender/campaigns/splitmix.h"

namespace recommender::campaigns {

// InvalidArgument naming the first (field, value) whose value is not in
// [0, 1].
absl::Status CheckRates(
    std::initializer_list<std::pair<absl::string_view, double>> rates);

// The Unix seconds of a buyer's orders within [t0, t0 + window) (window >=
// 2 s), in order: one at a uniform moment, and with chance
// `second_order_rate` a second at another moment.
std::vector<int64_t> SimulatedOrderTimes(SplitMix64& random, int64_t t0,
                                         int64_t window,
                                         double second_order_rate);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_SIMULATED_ORDERS_H_
