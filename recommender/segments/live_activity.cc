#include "recommender/segments/live_activity.h"

namespace recommender::segments {

std::vector<LaterActivity> LiveActivity(const ModelSnapshot& snapshot,
                                        const LiveState& live,
                                        const LiveCatalog* catalog) {
  const uint64_t after = snapshot.manifest().event_log_sequence();
  std::vector<LaterActivity> out;
  for (const LiveState::CustomerActivity& customer : live.Activity(after)) {
    for (const LiveEvent& event : live.EventsOf(customer.customer_id, after)) {
      LaterActivity a;
      a.customer_id = customer.customer_id;
      a.unix_seconds = event.unix_seconds;
      a.purchase = event.type == EventType::kPurchase;
      if (a.purchase) {
        double price = 0;
        if (std::optional<int32_t> row = snapshot.FindItem(event.item_id)) {
          price = snapshot.item(*row).price();
        } else if (catalog != nullptr) {
          if (std::optional<events::LoggedItem> item =
                  catalog->Find(event.item_id)) {
            price = item->price();
          }
        }
        a.value = event.quantity * price;
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace recommender::segments
