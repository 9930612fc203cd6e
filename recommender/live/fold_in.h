// Fold-in: a customer's vector re-solved from their interactions against a
// snapshot's fixed item factors — one iALS half-step for one row (Hu, Koren
// & Volinsky 2008) — so that events recorded after training move the
// customer's picks at once, and a visitor the model never saw gets a vector
// from a few views.
//
// Thread-safe: a pure function of its arguments.
#ifndef RECOMMENDER_LIVE_FOLD_IN_H_
#define RECOMMENDER_LIVE_FOLD_IN_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

// The vector that fits `strengths` (item row -> summed event weight; rows
// must be valid, weights <= 0 are ignored) under the snapshot's fold-in
// parameters. Empty if the snapshot has none or nothing remains to fit.
// Costs O(n d^2 + d^3) for n items and dimension d.
std::vector<float> FoldIn(const ModelSnapshot& snapshot,
                          const absl::flat_hash_map<int32_t, float>& strengths);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_FOLD_IN_H_
