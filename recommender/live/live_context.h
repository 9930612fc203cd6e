// Builds the ranking's LiveContext (recommend.h) for one request: the
// customer's events since the snapshot was trained (from LiveState) and the
// items viewed in this visit, resolved against the snapshot and folded into
// a taste vector.
//
// Thread-safe: reads LiveState under its locks; no state of its own.
#ifndef RECOMMENDER_LIVE_LIVE_CONTEXT_H_
#define RECOMMENDER_LIVE_LIVE_CONTEXT_H_

#include "recommender/live/live_catalog.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"

namespace recommender {

// `live` may be null (live events off). Events newer than the snapshot's
// event_log_sequence count; items the snapshot does not know are skipped.
// The taste is folded in only when there is something new: live events
// with known items or recently viewed items; it then starts from the
// customer's interactions in the snapshot. A request without views of its
// own reuses the vector solved for the customer's same live events before
// (remembered in `live`), so that it is solved once per change of them.
LiveContext BuildLiveContext(const ModelSnapshot& snapshot,
                             const LiveState* live,
                             const RecommendQuery& query);

// What one Recommend call does: validates the query (before any work),
// builds its live context and ranks, with `cache` as in Recommend. Errors
// as in Recommend.
absl::StatusOr<std::vector<Recommendation>> RecommendWithLiveContext(
    const ModelSnapshot& snapshot, const LiveState* live,
    const RecommendQuery& query, CandidateCache* cache = nullptr);

// What one SimilarItems call does: the items nearest to query.item_id; for
// an item the model has no vector for but `catalog` (may be null: live
// events off) has, because it was added since training, items of its
// category (SimilarItemsInCategory). Errors as in SimilarItems.
absl::StatusOr<std::vector<Recommendation>> SimilarItemsWithLiveCatalog(
    const ModelSnapshot& snapshot, const LiveCatalog* catalog,
    const SimilarItemsQuery& query);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_CONTEXT_H_
