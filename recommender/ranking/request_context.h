// What is known about the asker of a Recommend call beyond the snapshot,
// already resolved against it (recommender/live builds it from live events
// and the request). Empty by default: then only the snapshot speaks.
#ifndef RECOMMENDER_RANKING_REQUEST_CONTEXT_H_
#define RECOMMENDER_RANKING_REQUEST_CONTEXT_H_

#include <cstdint>
#include <vector>

#include "recommender/data/shop_data.h"

namespace recommender {

// An item the customer touched recently, and how.
struct RecentItem {
  int32_t item = 0;  // Row in the snapshot's item table.
  EventType type = EventType::kView;
};

struct LiveContext {
  // Items bought since training; durables among them are excluded.
  std::vector<int32_t> purchased_items;
  // The customer's vector folded in from their events and this visit's
  // views; replaces the snapshot's vector when not empty.
  std::vector<float> taste;
  // Newest first, for explanations ("similar to X you viewed").
  std::vector<RecentItem> recent_items;
};

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_REQUEST_CONTEXT_H_
