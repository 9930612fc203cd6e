// Writes shop data in the export format that shop_data_loader reads
// (docs/data-format.md), for the sample-data generator and for tests.
// Files are streamed through a buffer, so events.csv of any size can be
// written without holding its text in memory.
//
// Thread-safe: no shared state (an EventCsvWriter is used by one thread).
#ifndef RECOMMENDER_DATA_SHOP_DATA_WRITER_H_
#define RECOMMENDER_DATA_SHOP_DATA_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data.h"
#include "recommender/util/file_util.h"

namespace recommender {

// Quotes a CSV field if it holds a comma, quote or line break.
std::string CsvEscape(absl::string_view field);

// Joins fields into one CSV line (with its '\n').
std::string CsvLine(const std::vector<std::string>& fields);

// Which optional catalog columns to write.
struct CatalogCsvOptions {
  // The durability column; without it every item reads back as unknown
  // (a catalog without labels, as many shops export).
  bool durability_column = true;
};

// Writes catalog.csv (header and one row per item) to `path`.
absl::Status WriteCatalogCsv(const std::vector<CatalogItem>& items,
                             const std::string& path,
                             const CatalogCsvOptions& options = {});

// Writes customers.csv to `path`.
absl::Status WriteCustomersCsv(const std::vector<CustomerRecord>& customers,
                               const std::string& path);

// Streams events.csv: the header on Create, then one row per Append.
class EventCsvWriter {
 public:
  // Timestamps are written in `zone` with its UTC offset.
  static absl::StatusOr<std::unique_ptr<EventCsvWriter>> Create(
      const std::string& path, absl::TimeZone zone);

  absl::Status Append(absl::string_view customer_id, absl::string_view item_id,
                      const Event& event);
  // Flushes and fsyncs the file.
  absl::Status Close() { return file_->Close(); }
  int64_t bytes_written() const { return file_->bytes_written(); }

 private:
  EventCsvWriter(std::unique_ptr<FileWriter> file, absl::TimeZone zone)
      : file_(std::move(file)), zone_(zone) {}

  std::unique_ptr<FileWriter> file_;
  absl::TimeZone zone_;
  std::string line_;
};

// Writes DIR/catalog.csv, DIR/customers.csv and DIR/events.csv (creating
// DIR). Event timestamps are written in `zone` with its UTC offset.
absl::Status WriteShopData(const ShopData& data, const std::string& dir,
                           absl::TimeZone zone = absl::UTCTimeZone(),
                           const CatalogCsvOptions& catalog = {});

}  // namespace recommender

#endif  // RECOMMENDER_DATA_SHOP_DATA_WRITER_H_
