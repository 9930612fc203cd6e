// Checks the events (RecordEvents) and new catalog items (UpsertItems) a
// shop sends one by one, so that a bad one is rejected with the field named
// while the good ones of the same batch are kept, and turns the good ones
// into event-log records.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_LIVE_EVENT_VALIDATION_H_
#define RECOMMENDER_LIVE_EVENT_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/event_log.pb.h"
#include "recommender/data/shop_data.h"
#include "recommender/live/live_catalog.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

inline constexpr int kMaxEventsPerBatch = 1000;
inline constexpr int32_t kMaxEventQuantity = 1000000;
// Events may be stamped this far ahead of the server's clock (skew).
inline constexpr absl::Duration kMaxEventClockSkew = absl::Minutes(5);

// One event as received, before any check.
struct IncomingEvent {
  std::string customer_id;
  std::string item_id;
  // nullopt: the type was missing or unknown.
  std::optional<EventType> type;
  // 0 means 1.
  int32_t quantity = 0;
  // ISO 8601 with offset; empty means `now`.
  std::string timestamp;
  std::optional<double> unit_price;
  // The link's recommendation id (campaign attribution); empty if none.
  std::string recommendation_id;
};

struct EventRejection {
  int index = 0;        // Position in the batch.
  std::string field;    // "events[3].item_id"
  std::string message;  // Starts with the field.
};

struct ValidatedEvents {
  // The accepted events (or items), ready to append (sequence not yet set).
  events::LogRecord record;
  std::vector<EventRejection> rejected;
};

// One catalog item as received.
struct IncomingItem {
  std::string item_id;
  std::string title;
  std::string category;
  double price = 0;
  bool in_stock = true;
  Durability durability = Durability::kUnknown;
};

inline constexpr size_t kMaxTitleBytes = 1000;

// InvalidArgument ("events: ...") if the batch is empty or holds more than
// kMaxEventsPerBatch events; then nothing is checked one by one.
absl::Status ValidateEventBatchSize(size_t size);

// Checks each event: customer_id and item_id are ids (1 to 256 bytes, no
// control characters or outer spaces), the customer was not erased
// (ModelSnapshot::IsErasedCustomer), and the item is known to `snapshot`
// or to `catalog` (may be null); the type is given; the quantity is 0 (one)
// to kMaxEventQuantity; the timestamp is RFC 3339 with its offset, not
// before 2000 and not more than kMaxEventClockSkew after `latest` (which
// defaults to `now`); a unit price is finite and >= 0. An event without a
// timestamp is stamped `now`.
ValidatedEvents ValidateEvents(const std::vector<IncomingEvent>& events,
                               const ModelSnapshot& snapshot,
                               const LiveCatalog* catalog, absl::Time now,
                               std::optional<absl::Time> latest = std::nullopt);

ValidatedEvents ValidateItems(const std::vector<IncomingItem>& items,
                              const ModelSnapshot& snapshot);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_EVENT_VALIDATION_H_
