#include "training/trainer/logged_events.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "recommender/events/event_log_reader.h"
#include "recommender/live/live_state.h"
#include "recommender/util/status_macros.h"

namespace recommender {
namespace {

bool EarlierEvent(const Event& a, const Event& b) {
  return std::tie(a.customer, a.unix_seconds) <
         std::tie(b.customer, b.unix_seconds);
}

// True if `sorted` (by customer, then time) holds an event equal to `e` in
// customer, item, type and time.
bool Contains(const std::vector<Event>& sorted, const Event& e) {
  auto [begin, end] =
      std::equal_range(sorted.begin(), sorted.end(), e, EarlierEvent);
  return std::any_of(begin, end, [&e](const Event& other) {
    return other.item == e.item && other.type == e.type;
  });
}

}  // namespace

absl::StatusOr<LoggedEventsResult> AddLoggedEvents(const std::string& dir,
                                                   size_t max_sample_errors,
                                                   ShopData* data) {
  LoggedEventsResult result;
  FileLoadReport report;
  report.path = dir;
  std::vector<Event> added;
  auto skip = [&](uint64_t sequence, int index, const std::string& why) {
    ++report.rows_skipped;
    if (report.sample_errors.size() < max_sample_errors) {
      report.sample_errors.push_back(absl::StrCat(
          dir, ": record ", sequence, ", event ", index, ": ", why));
    }
  };
  events::EventLogReadSummary summary;
  RETURN_IF_ERROR(events::ReadEventLog(
      dir,
      [&](const events::LogRecord& record) {
        for (const std::string& key : record.erased_customers()) {
          result.erased_keys.insert(key);
        }
        // Items added between trainings (UpsertItems); catalog.csv wins.
        for (const events::LoggedItem& logged : record.items()) {
          if (data->item_rows.contains(logged.item_id())) continue;
          CatalogItem item;
          item.id = logged.item_id();
          item.title = logged.title();
          item.category = logged.category();
          item.price = logged.price();
          item.in_stock = logged.in_stock();
          item.durability =
              ParseDurability(logged.durability()).value_or(Durability::kUnknown);
          data->item_rows.emplace(item.id,
                                  static_cast<int32_t>(data->items.size()));
          data->items.push_back(std::move(item));
          ++result.new_items;
        }
        for (int i = 0; i < record.events_size(); ++i) {
          const events::LoggedEvent& logged = record.events(i);
          ++report.rows_read;
          const std::optional<EventType> type = FromLogged(logged.type());
          auto item = data->item_rows.find(logged.item_id());
          if (!type.has_value()) {
            skip(record.sequence(), i, "no event type");
            continue;
          }
          if (item == data->item_rows.end()) {
            skip(record.sequence(), i,
                 absl::StrCat("unknown item id \"", logged.item_id(),
                              "\" (not in catalog.csv)"));
            continue;
          }
          auto [customer, inserted] = data->customer_rows.emplace(
              logged.customer_id(),
              static_cast<int32_t>(data->customers.size()));
          if (inserted) {
            CustomerRecord record;
            record.id = logged.customer_id();
            record.signup_date = absl::ToCivilDay(
                absl::FromUnixSeconds(logged.unix_seconds()),
                absl::UTCTimeZone());
            data->customers.push_back(std::move(record));
            ++result.new_customers;
          }
          Event event;
          event.customer = customer->second;
          event.item = item->second;
          event.type = *type;
          event.quantity = std::max(1, logged.quantity());
          event.unix_seconds = logged.unix_seconds();
          event.unit_price = static_cast<float>(
              logged.has_unit_price() ? logged.unit_price()
                                      : data->items[item->second].price);
          if (Contains(data->events, event)) {
            ++result.duplicates;
            continue;
          }
          added.push_back(event);
          ++report.rows_loaded;
        }
        return absl::OkStatus();
      },
      &summary));
  result.last_sequence = summary.last_sequence;
  data->events.insert(data->events.end(), added.begin(), added.end());
  std::stable_sort(data->events.begin(), data->events.end(), EarlierEvent);
  data->reports.push_back(std::move(report));
  return result;
}

}  // namespace recommender
