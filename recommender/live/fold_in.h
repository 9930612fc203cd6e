// Fold-in: a customer's vector re-solved from their interactions against a
// snapshot's fixed item factors — one iALS half-step for one row (Hu, Koren
// & Volinsky 2008), under the same strengths, confidences and
// regularization the trainer used — so that events recorded after training
// move the customer's picks at once, and a visitor the model never saw gets
// a vector from a few views.
//
// Thread-safe: a pure function of its arguments.
#ifndef RECOMMENDER_LIVE_FOLD_IN_H_
#define RECOMMENDER_LIVE_FOLD_IN_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

// The vector that fits the interactions of the snapshot's customer
// `customer_row` (none if nullopt) plus `added`: item row -> summed event
// weights of new events (rows must be valid). A new event counts fully (no
// recency decay: it is newer than the training data) and joins the item's
// strength before the log scaling, if the model uses one. Empty if the
// snapshot has no fold-in parameters or nothing remains to fit.
// Costs O(n d^2 + d^3) for n items and dimension d.
std::vector<float> FoldIn(const ModelSnapshot& snapshot,
                          std::optional<int32_t> customer_row,
                          const absl::flat_hash_map<int32_t, float>& added);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_FOLD_IN_H_
