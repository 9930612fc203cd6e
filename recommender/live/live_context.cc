#include "recommender/live/live_context.h"

#include <vector>

#include "recommender/live/fold_in.h"

namespace recommender {

LiveContext BuildLiveContext(const ModelSnapshot& snapshot,
                             const LiveState* live,
                             const RecommendQuery& query) {
  LiveContext context;
  const std::optional<FoldInParameters>& parameters =
      snapshot.fold_in_parameters();
  const EventWeights weights =
      parameters.has_value() ? parameters->weights : EventWeights();
  // Summed weights of what happened since training.
  absl::flat_hash_map<int32_t, float> added;
  bool news = false;

  // This visit's views are the newest of all.
  for (const std::string& id : query.recently_viewed_item_ids) {
    const std::optional<int32_t> item = snapshot.FindItem(id);
    if (!item.has_value()) continue;
    added[*item] += weights.view;
    context.recent_items.push_back({*item, EventType::kView});
    news = true;
  }
  LiveState::EventsAndTaste live_events;
  if (live != nullptr && !query.customer_id.empty()) {
    live_events = live->EventsWithTaste(
        query.customer_id, snapshot.manifest().event_log_sequence(),
        snapshot.version());
    const std::vector<LiveEvent>& events = live_events.events;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      const std::optional<int32_t> item = snapshot.FindItem(it->item_id);
      if (!item.has_value()) continue;
      if (it->type == EventType::kPurchase) {
        context.purchased_items.push_back(*item);
      }
      added[*item] += weights.Of(it->type);
      context.recent_items.push_back({*item, it->type});
      news = true;
    }
  }
  if (!news) return context;
  // A customer's vector depends only on their live events when the request
  // brings no views of its own: solved once per change of those events.
  const bool rememberable = live != nullptr &&
                            query.recently_viewed_item_ids.empty() &&
                            !query.customer_id.empty();
  if (rememberable && !live_events.remembered_taste.empty()) {
    context.taste = std::move(live_events.remembered_taste);
    return context;
  }
  context.taste = FoldIn(snapshot,
                         query.customer_id.empty()
                             ? std::nullopt
                             : snapshot.FindCustomer(query.customer_id),
                         added);
  if (rememberable && !context.taste.empty()) {
    live->RememberTaste(
        query.customer_id, live_events.generation, snapshot.version(),
        snapshot.manifest().event_log_sequence(), context.taste);
  }
  return context;
}

absl::StatusOr<std::vector<Recommendation>> RecommendWithLiveContext(
    const ModelSnapshot& snapshot, const LiveState* live,
    const RecommendQuery& query, CandidateCache* cache) {
  if (absl::Status valid = ValidateRecommendQuery(query); !valid.ok()) {
    return valid;
  }
  return Recommend(snapshot, query, BuildLiveContext(snapshot, live, query),
                   cache);
}

absl::StatusOr<std::vector<Recommendation>> SimilarItemsWithLiveCatalog(
    const ModelSnapshot& snapshot, const LiveCatalog* catalog,
    const SimilarItemsQuery& query) {
  if (catalog != nullptr && !snapshot.FindItem(query.item_id).has_value()) {
    if (const std::optional<events::LoggedItem> added =
            catalog->Find(query.item_id);
        added.has_value()) {
      return SimilarItemsInCategory(snapshot, {added->title(), added->category()},
                                    query);
    }
  }
  return SimilarItems(snapshot, query);
}

}  // namespace recommender
