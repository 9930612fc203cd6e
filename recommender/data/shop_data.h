// In-memory form of a shop's three exports (docs/data-format.md): the
// catalog, the customers and their events. Events refer to items and
// customers by row, so every id has been checked against its table.
#ifndef RECOMMENDER_DATA_SHOP_DATA_H_
#define RECOMMENDER_DATA_SHOP_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace recommender {

enum class Durability {
  kUnknown,     // Not given; the trainer infers it.
  kDurable,     // One purchase lasts years: never re-offer once owned.
  kConsumable,  // Bought again on a cycle.
};

// "durable", "consumable" or "" (unknown).
absl::string_view DurabilityName(Durability durability);
// Inverse of DurabilityName; nullopt for any other text.
std::optional<Durability> ParseDurability(absl::string_view text);

struct CatalogItem {
  std::string id;
  std::string title;
  // A path such as "kitchen/appliances".
  std::string category;
  double price = 0;
  bool in_stock = true;
  Durability durability = Durability::kUnknown;
};

struct CustomerRecord {
  std::string id;
  absl::CivilDay signup_date;
  // Optional attributes; empty when not given.
  std::string age_band;
  std::string gender;
  std::string region;
};

enum class EventType : uint8_t { kView, kCart, kPurchase };

// "view", "cart", "purchase".
absl::string_view EventTypeName(EventType type);
std::optional<EventType> ParseEventType(absl::string_view text);

struct Event {
  int32_t customer = 0;  // Row in ShopData::customers.
  int32_t item = 0;      // Row in ShopData::items.
  EventType type = EventType::kView;
  int32_t quantity = 1;
  int64_t unix_seconds = 0;
  float unit_price = 0;
};

// Maps external ids to rows.
using IdIndex = absl::flat_hash_map<std::string, int32_t>;

template <typename Record>
IdIndex IndexIds(const std::vector<Record>& records) {
  IdIndex index;
  index.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    index.emplace(records[i].id, static_cast<int32_t>(i));
  }
  return index;
}

// Rows read and rejected for one input file.
struct FileLoadReport {
  std::string path;
  int64_t rows_read = 0;
  int64_t rows_loaded = 0;
  int64_t rows_skipped = 0;
  // The first few row errors, each naming file, line and column.
  std::vector<std::string> sample_errors;
};

struct ShopData {
  std::vector<CatalogItem> items;
  std::vector<CustomerRecord> customers;
  // Sorted by customer, then time.
  std::vector<Event> events;
  IdIndex item_rows;
  IdIndex customer_rows;
  std::vector<FileLoadReport> reports;
};

}  // namespace recommender

#endif  // RECOMMENDER_DATA_SHOP_DATA_H_
