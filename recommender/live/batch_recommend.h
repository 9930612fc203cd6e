// Campaign batches: Recommend for many customers, a block at a time, with
// the work shared across the block. The tastes of a block are searched in
// one batched index call (ItemIndex::SearchBatch: the exact index scores
// them in register tiles, reading each item once per four customers); each
// customer's filters, exclusions, repurchase stage and reasons then run on
// its own row of that answer, as RecommendWithLiveContext would.
//
// Thread-safe: pure function of its arguments (reads LiveState under its
// locks).
#ifndef RECOMMENDER_LIVE_BATCH_RECOMMEND_H_
#define RECOMMENDER_LIVE_BATCH_RECOMMEND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"

namespace recommender {

// Customers handled together by a campaign batch.
inline constexpr int kBatchBlockSize = 64;

// result[i] is what RecommendWithLiveContext(snapshot, live, query with
// customer_id = customers[i]) returns, for every customer (the order is
// kept); query.customer_id is ignored. `live` may be null. Errors as in
// Recommend (the first one).
absl::StatusOr<std::vector<std::vector<Recommendation>>> RecommendBlock(
    const ModelSnapshot& snapshot, const LiveState* live, RecommendQuery query,
    absl::Span<const std::string> customers);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_BATCH_RECOMMEND_H_
