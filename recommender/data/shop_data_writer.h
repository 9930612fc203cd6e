// Writes shop data in the export format that shop_data_loader reads
// (docs/data-format.md), for the sample-data generator and for tests.
//
// Thread-safe: no shared state.
#ifndef RECOMMENDER_DATA_SHOP_DATA_WRITER_H_
#define RECOMMENDER_DATA_SHOP_DATA_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data.h"

namespace recommender {

// Quotes a CSV field if it holds a comma, quote or line break.
std::string CsvEscape(absl::string_view field);

// Joins fields into one CSV line (with its '\n').
std::string CsvLine(const std::vector<std::string>& fields);

// Writes DIR/catalog.csv, DIR/customers.csv and DIR/events.csv (creating
// DIR). Event timestamps are written in `zone` with its UTC offset.
absl::Status WriteShopData(const ShopData& data, const std::string& dir,
                           absl::TimeZone zone = absl::UTCTimeZone());

}  // namespace recommender

#endif  // RECOMMENDER_DATA_SHOP_DATA_WRITER_H_
