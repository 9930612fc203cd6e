#include "recommender/data/shop_data_writer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"
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

absl::Status WriteShopData(const ShopData& data, const std::string& dir,
                           absl::TimeZone zone) {
  RETURN_IF_ERROR(CreateDirectories(dir));
  std::string catalog =
      CsvLine({"item_id", "title", "category", "price", "in_stock",
               "durability"});
  for (const CatalogItem& item : data.items) {
    catalog += CsvLine({item.id, item.title, item.category,
                        absl::StrCat(item.price),
                        item.in_stock ? "true" : "false",
                        std::string(DurabilityName(item.durability))});
  }
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(dir, kCatalogFile), catalog));

  std::string customers = CsvLine(
      {"customer_id", "signup_date", "age_band", "gender", "region"});
  for (const CustomerRecord& c : data.customers) {
    customers += CsvLine({c.id, absl::FormatCivilTime(c.signup_date),
                          c.age_band, c.gender, c.region});
  }
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(dir, kCustomersFile), customers));

  std::string events = CsvLine({"customer_id", "item_id", "type", "timestamp",
                                "quantity", "unit_price"});
  for (const Event& e : data.events) {
    events += CsvLine(
        {data.customers[e.customer].id, data.items[e.item].id,
         std::string(EventTypeName(e.type)),
         absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez",
                          absl::FromUnixSeconds(e.unix_seconds), zone),
         absl::StrCat(e.quantity), absl::StrCat(e.unit_price)});
  }
  return WriteFileDurably(JoinPath(dir, kEventsFile), events);
}

}  // namespace recommender
