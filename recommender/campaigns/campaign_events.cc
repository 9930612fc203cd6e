#include "recommender/campaigns/campaign_events.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "recommender/events/event_log_reader.h"
#include "recommender/live/live_state.h"

namespace recommender::campaigns {

absl::StatusOr<std::vector<CustomerEvent>> CollectCampaignEvents(
    const ModelSnapshot& snapshot, const std::string& event_log_dir,
    const absl::flat_hash_set<std::string>& customers, int64_t since,
    int64_t until) {
  std::vector<CustomerEvent> out;
  for (const std::string& id : customers) {
    const std::optional<int32_t> row = snapshot.FindCustomer(id);
    if (!row.has_value()) continue;
    const snapshot::Customer& c = snapshot.customer(*row);
    for (int k = 0; k < c.purchased_items_size(); ++k) {
      const int64_t t = c.purchase_times(k);
      if (t < since || t > until) continue;
      const snapshot::Item& item = snapshot.item(c.purchased_items(k));
      const int32_t units =
          c.purchase_quantities_size() > k ? c.purchase_quantities(k) : 1;
      const double price = c.purchase_unit_prices_size() > k
                               ? c.purchase_unit_prices(k)
                               : item.price();
      CustomerEvent event;
      event.customer_id = id;
      event.item_id = item.id();
      event.type = EventType::kPurchase;
      event.unix_seconds = t;
      event.value = units * price;
      out.push_back(std::move(event));
    }
  }
  if (event_log_dir.empty()) return out;
  absl::flat_hash_map<std::string, double> added_prices;
  events::EventLogReadSummary summary;
  absl::Status read = events::ReadEventLog(
      event_log_dir,
      [&](const events::LogRecord& record) {
        for (const events::LoggedItem& item : record.items()) {
          added_prices[item.item_id()] = item.price();
        }
        for (const events::LoggedEvent& logged : record.events()) {
          if (logged.unix_seconds() < since || logged.unix_seconds() > until ||
              !customers.contains(logged.customer_id())) {
            continue;
          }
          const std::optional<EventType> type = FromLogged(logged.type());
          if (!type.has_value()) continue;
          CustomerEvent event;
          event.customer_id = logged.customer_id();
          event.item_id = logged.item_id();
          event.type = *type;
          event.unix_seconds = logged.unix_seconds();
          event.recommendation_id = logged.recommendation_id();
          if (*type == EventType::kPurchase) {
            double price = 0;
            if (logged.has_unit_price()) {
              price = logged.unit_price();
            } else if (std::optional<int32_t> row =
                           snapshot.FindItem(logged.item_id())) {
              price = snapshot.item(*row).price();
            } else if (auto it = added_prices.find(logged.item_id());
                       it != added_prices.end()) {
              price = it->second;
            }
            event.value = std::max(1, logged.quantity()) * price;
          }
          out.push_back(std::move(event));
        }
        return absl::OkStatus();
      },
      &summary);
  if (!read.ok()) return read;
  return out;
}

}  // namespace recommender::campaigns
