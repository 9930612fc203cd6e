// EvalRanker: the one question the evaluation asks every model — the
// ranked items for one test customer at one moment, leaving out a given
// set — so that baselines and the served model are measured alike.
#ifndef TRAINING_EVALUATION_PROTOCOL_EVAL_RANKER_H_
#define TRAINING_EVALUATION_PROTOCOL_EVAL_RANKER_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace recommender {

struct RankRequest {
  int32_t customer = 0;  // Row in the split's customer table.
  absl::Time as_of;
  // At most this many items (1..100).
  int count = 10;
  // Never listed (e.g. what the customer bought before, for the "new"
  // task); may be null.
  const absl::flat_hash_set<int32_t>* excluded = nullptr;
  // True when `excluded` is everything the customer bought before as_of
  // (the "new" task): a ranker that knows the customer's history (the
  // served model: the request's exclude_purchased) may leave those out
  // itself instead of being handed the list.
  bool exclude_purchased = false;
};

// Implementations must be safe to call concurrently (const and stateless).
class EvalRanker {
 public:
  virtual ~EvalRanker() = default;
  // Distinct item rows, best first, none excluded.
  virtual absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const = 0;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_EVAL_RANKER_H_
