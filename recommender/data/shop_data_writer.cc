#include "recommender/data/shop_data_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/status_macros.h"

namespace recommender {

std::string CsvEscape(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(field);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(field, {{"\"", "\"\""}}),
                      "\"");
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += CsvEscape(fields[i]);
  }
  line.push_back('\n');
  return line;
}

absl::Status WriteCatalogCsv(const std::vector<CatalogItem>& items,
                             const std::string& path,
                             const CatalogCsvOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> file, FileWriter::Create(path));
  std::vector<std::string> header = {"item_id", "title", "category", "price",
                                     "in_stock"};
  if (options.durability_column) header.push_back("durability");
  RETURN_IF_ERROR(file->Append(CsvLine(header)));
  for (const CatalogItem& item : items) {
    std::vector<std::string> row = {item.id, item.title, item.category,
                                    absl::StrCat(item.price),
                                    item.in_stock ? "true" : "false"};
    if (options.durability_column) {
      row.emplace_back(DurabilityName(item.durability));
    }
    RETURN_IF_ERROR(file->Append(CsvLine(row)));
  }
  return file->Close();
}

absl::Status WriteCustomersCsv(const std::vector<CustomerRecord>& customers,
                               const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> file, FileWriter::Create(path));
  RETURN_IF_ERROR(file->Append(CsvLine(
      {"customer_id", "signup_date", "age_band", "gender", "region"})));
  for (const CustomerRecord& c : customers) {
    RETURN_IF_ERROR(
        file->Append(CsvLine({c.id, absl::FormatCivilTime(c.signup_date),
                              c.age_band, c.gender, c.region})));
  }
  return file->Close();
}

absl::StatusOr<std::unique_ptr<EventCsvWriter>> EventCsvWriter::Create(
    const std::string& path, absl::TimeZone zone) {
  ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> file, FileWriter::Create(path));
  RETURN_IF_ERROR(file->Append(CsvLine({"customer_id", "item_id", "type",
                                        "timestamp", "quantity",
                                        "unit_price"})));
  return std::unique_ptr<EventCsvWriter>(
      new EventCsvWriter(std::move(file), zone));
}

absl::Status EventCsvWriter::Append(absl::string_view customer_id,
                                    absl::string_view item_id,
                                    const Event& e) {
  line_.clear();
  absl::StrAppend(&line_, CsvEscape(customer_id), ",", CsvEscape(item_id), ",",
                  EventTypeName(e.type), ",",
                  absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez",
                                   absl::FromUnixSeconds(e.unix_seconds),
                                   zone_),
                  ",", e.quantity, ",", e.unit_price, "\n");
  return file_->Append(line_);
}

absl::Status WriteShopData(const ShopData& data, const std::string& dir,
                           absl::TimeZone zone,
                           const CatalogCsvOptions& catalog) {
  RETURN_IF_ERROR(CreateDirectories(dir));
  RETURN_IF_ERROR(
      WriteCatalogCsv(data.items, JoinPath(dir, kCatalogFile), catalog));
  RETURN_IF_ERROR(
      WriteCustomersCsv(data.customers, JoinPath(dir, kCustomersFile)));
  ASSIGN_OR_RETURN(std::unique_ptr<EventCsvWriter> events,
                   EventCsvWriter::Create(JoinPath(dir, kEventsFile), zone));
  for (const Event& e : data.events) {
    RETURN_IF_ERROR(events->Append(data.customers[e.customer].id,
                                   data.items[e.item].id, e));
  }
  return events->Close();
}

}  // namespace recommender
