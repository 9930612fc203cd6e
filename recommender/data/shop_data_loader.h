// Loads and validates a shop's exports (docs/data-format.md):
// DIR/catalog.csv, DIR/customers.csv and DIR/events.csv.
//
// Every rejected row gets an error naming the file, line, column and what is
// wrong. Under BadRowPolicy::kFail the first one fails the load; under kSkip
// bad rows are counted and sampled in FileLoadReport and the rest is loaded.
// Whole-file problems (missing, empty, missing column) always fail.
//
// Thread-safe: no shared state.
#ifndef RECOMMENDER_DATA_SHOP_DATA_LOADER_H_
#define RECOMMENDER_DATA_SHOP_DATA_LOADER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "recommender/data/row_error_sink.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct LoadOptions {
  BadRowPolicy on_bad_row = BadRowPolicy::kFail;
  // Events and signups after this are rejected as from the future.
  absl::Time now = absl::Now();
  size_t max_sample_errors = 10;
};

inline constexpr char kCatalogFile[] = "catalog.csv";
inline constexpr char kCustomersFile[] = "customers.csv";
inline constexpr char kEventsFile[] = "events.csv";

// Columns: item_id, title, category, price, in_stock, and optionally
// durability. Repeated ids are rejected (the first row is kept).
absl::StatusOr<std::vector<CatalogItem>> LoadCatalog(
    const std::string& path, const LoadOptions& options,
    FileLoadReport* report);

// Columns: customer_id, signup_date, and optionally age_band, gender, region.
absl::StatusOr<std::vector<CustomerRecord>> LoadCustomers(
    const std::string& path, const LoadOptions& options,
    FileLoadReport* report);

// Columns: customer_id, item_id, type, timestamp, and optionally quantity
// (default 1) and unit_price (default: the catalog price). Ids must appear
// in `customer_rows` / `items`. An event identical to an earlier one
// (customer, item, type, timestamp) is rejected as a duplicate. The result
// is sorted by customer, then time.
absl::StatusOr<std::vector<Event>> LoadEvents(
    const std::string& path, const IdIndex& customer_rows,
    const std::vector<CatalogItem>& items, const IdIndex& item_rows,
    const LoadOptions& options, FileLoadReport* report);

// Loads the three files from `dir`.
absl::StatusOr<ShopData> LoadShopData(const std::string& dir,
                                      const LoadOptions& options);

}  // namespace recommender

#endif  // RECOMMENDER_DATA_SHOP_DATA_LOADER_H_
