#include "recommender/data/shop_data_loader.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/csv_reader.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/file_util.h"
#include "recommender/util/quote.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

// Prefixes a field-level error with the file, line and column.
absl::Status AtField(const CsvReader& reader, int64_t line, int column,
                     const absl::Status& error) {
  return absl::InvalidArgumentError(
      absl::StrCat(reader.Where(line, column), error.message()));
}

// Returns the field at `column`, or "" for an optional column that is absent.
const std::string& FieldOrEmpty(const CsvRecord& record, int column) {
  static const std::string* const kEmpty = new std::string();
  return column >= 0 ? record.fields[column] : *kEmpty;
}

// Runs `parse_row` on every record of `reader`, applying the bad-row policy
// to whatever it rejects.
template <typename ParseRow>
absl::Status ForEachRow(CsvReader& reader, const LoadOptions& options,
                        FileLoadReport* report, ParseRow parse_row) {
  RowErrorSink sink(options.on_bad_row, report, options.max_sample_errors);
  CsvRecord record;
  absl::Status error;
  while (reader.Next(&record, &error)) {
    ++report->rows_read;
    if (error.ok()) error = parse_row(record);
    if (error.ok()) {
      ++report->rows_loaded;
    } else {
      RETURN_IF_ERROR(sink.Reject(std::move(error)));
    }
  }
  return absl::OkStatus();
}

struct CatalogColumns {
  int id, title, category, price, in_stock, durability;
};

absl::Status ParseCatalogRow(const CsvReader& reader, const CsvRecord& record,
                             const CatalogColumns& columns, IdIndex& seen,
                             std::vector<CatalogItem>& items) {
  const int64_t line = record.line;
  CatalogItem item;
  item.id = record.fields[columns.id];
  if (absl::Status s = ValidateId(item.id); !s.ok()) {
    return AtField(reader, line, columns.id, s);
  }
  item.title = record.fields[columns.title];
  item.category = record.fields[columns.category];
  if (absl::Status s = ValidateCategoryPath(item.category); !s.ok()) {
    return AtField(reader, line, columns.category, s);
  }
  absl::StatusOr<double> price =
      ParseNonNegativeDecimal(record.fields[columns.price]);
  if (!price.ok()) return AtField(reader, line, columns.price, price.status());
  item.price = *price;
  absl::StatusOr<bool> in_stock = ParseBoolean(record.fields[columns.in_stock]);
  if (!in_stock.ok()) {
    return AtField(reader, line, columns.in_stock, in_stock.status());
  }
  item.in_stock = *in_stock;
  const std::string& durability_text = FieldOrEmpty(record, columns.durability);
  std::optional<Durability> durability = ParseDurability(durability_text);
  if (!durability.has_value()) {
    return AtField(reader, line, columns.durability,
                   absl::InvalidArgumentError(absl::StrCat(
                       "expected durable, consumable or empty, got ",
                       Quote(durability_text))));
  }
  item.durability = *durability;
  if (!seen.emplace(item.id, static_cast<int32_t>(items.size())).second) {
    return AtField(reader, line, columns.id,
                   absl::InvalidArgumentError(absl::StrCat(
                       "duplicate item id ", Quote(item.id))));
  }
  items.push_back(std::move(item));
  return absl::OkStatus();
}

struct CustomerColumns {
  int id, signup_date, age_band, gender, region;
};

absl::Status ParseCustomerRow(const CsvReader& reader, const CsvRecord& record,
                              const CustomerColumns& columns,
                              absl::CivilDay today, IdIndex& seen,
                              std::vector<CustomerRecord>& customers) {
  const int64_t line = record.line;
  CustomerRecord customer;
  customer.id = record.fields[columns.id];
  if (absl::Status s = ValidateId(customer.id); !s.ok()) {
    return AtField(reader, line, columns.id, s);
  }
  absl::StatusOr<absl::CivilDay> signup =
      ParseIsoDate(record.fields[columns.signup_date]);
  if (!signup.ok()) {
    return AtField(reader, line, columns.signup_date, signup.status());
  }
  if (*signup > today) {
    return AtField(reader, line, columns.signup_date,
                   absl::InvalidArgumentError(absl::StrCat(
                       "signup date ", absl::FormatCivilTime(*signup),
                       " is in the future")));
  }
  customer.signup_date = *signup;
  customer.age_band = FieldOrEmpty(record, columns.age_band);
  customer.gender = FieldOrEmpty(record, columns.gender);
  customer.region = FieldOrEmpty(record, columns.region);
  if (!seen.emplace(customer.id, static_cast<int32_t>(customers.size()))
           .second) {
    return AtField(reader, line, columns.id,
                   absl::InvalidArgumentError(absl::StrCat(
                       "duplicate customer id ", Quote(customer.id))));
  }
  customers.push_back(std::move(customer));
  return absl::OkStatus();
}

struct EventColumns {
  int customer, item, type, timestamp, quantity, unit_price;
};

absl::Status ParseEventRow(const CsvReader& reader, const CsvRecord& record,
                           const EventColumns& columns,
                           const IdIndex& customer_rows,
                           const std::vector<CatalogItem>& items,
                           const IdIndex& item_rows, absl::Time now,
                           Event* event) {
  const int64_t line = record.line;
  const std::string& customer_id = record.fields[columns.customer];
  auto customer = customer_rows.find(customer_id);
  if (customer == customer_rows.end()) {
    return AtField(reader, line, columns.customer,
                   absl::InvalidArgumentError(absl::StrCat(
                       "unknown customer id ", Quote(customer_id),
                       " (not in customers.csv)")));
  }
  event->customer = customer->second;
  const std::string& item_id = record.fields[columns.item];
  auto item = item_rows.find(item_id);
  if (item == item_rows.end()) {
    return AtField(reader, line, columns.item,
                   absl::InvalidArgumentError(absl::StrCat(
                       "unknown item id ", Quote(item_id),
                       " (not in catalog.csv)")));
  }
  event->item = item->second;
  std::optional<EventType> type = ParseEventType(record.fields[columns.type]);
  if (!type.has_value()) {
    return AtField(reader, line, columns.type,
                   absl::InvalidArgumentError(absl::StrCat(
                       "expected view, cart or purchase, got ",
                       Quote(record.fields[columns.type]))));
  }
  event->type = *type;
  absl::StatusOr<absl::Time> time =
      ParseIsoTimestamp(record.fields[columns.timestamp]);
  if (!time.ok()) {
    return AtField(reader, line, columns.timestamp, time.status());
  }
  if (*time > now) {
    return AtField(reader, line, columns.timestamp,
                   absl::InvalidArgumentError(absl::StrCat(
                       "timestamp ", record.fields[columns.timestamp],
                       " is in the future (now is ", FormatRfc3339Utc(now),
                       ")")));
  }
  event->unix_seconds = absl::ToUnixSeconds(*time);
  const std::string& quantity_text = FieldOrEmpty(record, columns.quantity);
  event->quantity = 1;
  if (!quantity_text.empty()) {
    absl::StatusOr<int32_t> quantity = ParsePositiveInteger(quantity_text);
    if (!quantity.ok()) {
      return AtField(reader, line, columns.quantity, quantity.status());
    }
    event->quantity = *quantity;
  }
  const std::string& price_text = FieldOrEmpty(record, columns.unit_price);
  event->unit_price = static_cast<float>(items[event->item].price);
  if (!price_text.empty()) {
    absl::StatusOr<double> price = ParseNonNegativeDecimal(price_text);
    if (!price.ok()) {
      return AtField(reader, line, columns.unit_price, price.status());
    }
    event->unit_price = static_cast<float>(*price);
  }
  return absl::OkStatus();
}

// Sorts events by customer and time and rejects exact repeats. `lines` holds
// each event's line number and is permuted alongside.
absl::Status SortAndRemoveDuplicates(const CsvReader& reader,
                                     const LoadOptions& options,
                                     const EventColumns& columns,
                                     FileLoadReport* report,
                                     std::vector<Event>& events,
                                     std::vector<int64_t>& lines) {
  std::vector<size_t> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](size_t i) {
    const Event& e = events[i];
    return std::make_tuple(e.customer, e.unix_seconds, e.item, e.type,
                           lines[i]);
  };
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return key(a) < key(b); });
  // Report duplicates in file order, so kFail names the earliest one.
  std::vector<std::pair<int64_t, int64_t>> duplicates;  // (line, original)
  std::vector<Event> sorted;
  sorted.reserve(events.size());
  size_t kept = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const Event& e = events[order[k]];
    if (k > 0) {
      const Event& previous = events[order[kept]];
      if (previous.customer == e.customer &&
          previous.unix_seconds == e.unix_seconds && previous.item == e.item &&
          previous.type == e.type) {
        duplicates.emplace_back(lines[order[k]], lines[order[kept]]);
        continue;
      }
    }
    kept = k;
    sorted.push_back(e);
  }
  std::sort(duplicates.begin(), duplicates.end());
  RowErrorSink sink(options.on_bad_row, report, options.max_sample_errors);
  for (const auto& [line, original] : duplicates) {
    --report->rows_loaded;
    RETURN_IF_ERROR(sink.Reject(absl::InvalidArgumentError(absl::StrCat(
        reader.Where(line, columns.timestamp),
        "duplicate event: same customer, item, type and time as line ",
        original))));
  }
  events = std::move(sorted);
  lines.clear();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CatalogItem>> LoadCatalog(
    const std::string& path, const LoadOptions& options,
    FileLoadReport* report) {
  report->path = path;
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  CatalogColumns columns;
  ASSIGN_OR_RETURN(columns.id, reader->RequireColumn("item_id"));
  ASSIGN_OR_RETURN(columns.title, reader->RequireColumn("title"));
  ASSIGN_OR_RETURN(columns.category, reader->RequireColumn("category"));
  ASSIGN_OR_RETURN(columns.price, reader->RequireColumn("price"));
  ASSIGN_OR_RETURN(columns.in_stock, reader->RequireColumn("in_stock"));
  columns.durability = reader->FindColumn("durability");
  std::vector<CatalogItem> items;
  IdIndex seen;
  RETURN_IF_ERROR(
      ForEachRow(*reader, options, report, [&](const CsvRecord& record) {
        return ParseCatalogRow(*reader, record, columns, seen, items);
      }));
  if (items.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the catalog has no valid items"));
  }
  return items;
}

absl::StatusOr<std::vector<CustomerRecord>> LoadCustomers(
    const std::string& path, const LoadOptions& options,
    FileLoadReport* report) {
  report->path = path;
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  CustomerColumns columns;
  ASSIGN_OR_RETURN(columns.id, reader->RequireColumn("customer_id"));
  ASSIGN_OR_RETURN(columns.signup_date, reader->RequireColumn("signup_date"));
  columns.age_band = reader->FindColumn("age_band");
  columns.gender = reader->FindColumn("gender");
  columns.region = reader->FindColumn("region");
  const absl::CivilDay today =
      absl::ToCivilDay(options.now, absl::UTCTimeZone());
  std::vector<CustomerRecord> customers;
  IdIndex seen;
  RETURN_IF_ERROR(
      ForEachRow(*reader, options, report, [&](const CsvRecord& record) {
        return ParseCustomerRow(*reader, record, columns, today, seen,
                                customers);
      }));
  return customers;
}

absl::StatusOr<std::vector<Event>> LoadEvents(
    const std::string& path, const IdIndex& customer_rows,
    const std::vector<CatalogItem>& items, const IdIndex& item_rows,
    const LoadOptions& options, FileLoadReport* report) {
  report->path = path;
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
  EventColumns columns;
  ASSIGN_OR_RETURN(columns.customer, reader->RequireColumn("customer_id"));
  ASSIGN_OR_RETURN(columns.item, reader->RequireColumn("item_id"));
  ASSIGN_OR_RETURN(columns.type, reader->RequireColumn("type"));
  ASSIGN_OR_RETURN(columns.timestamp, reader->RequireColumn("timestamp"));
  columns.quantity = reader->FindColumn("quantity");
  columns.unit_price = reader->FindColumn("unit_price");
  std::vector<Event> events;
  std::vector<int64_t> lines;
  RETURN_IF_ERROR(
      ForEachRow(*reader, options, report, [&](const CsvRecord& record) {
        Event event;
        RETURN_IF_ERROR(ParseEventRow(*reader, record, columns, customer_rows,
                                      items, item_rows, options.now, &event));
        events.push_back(event);
        lines.push_back(record.line);
        return absl::OkStatus();
      }));
  RETURN_IF_ERROR(SortAndRemoveDuplicates(*reader, options, columns, report,
                                          events, lines));
  return events;
}

absl::StatusOr<ShopData> LoadShopData(const std::string& dir,
                                      const LoadOptions& options) {
  ShopData data;
  data.reports.resize(3);
  ASSIGN_OR_RETURN(data.items, LoadCatalog(JoinPath(dir, kCatalogFile),
                                           options, &data.reports[0]));
  data.item_rows = IndexIds(data.items);
  ASSIGN_OR_RETURN(data.customers,
                   LoadCustomers(JoinPath(dir, kCustomersFile), options,
                                 &data.reports[1]));
  data.customer_rows = IndexIds(data.customers);
  ASSIGN_OR_RETURN(data.events,
                   LoadEvents(JoinPath(dir, kEventsFile), data.customer_rows,
                              data.items, data.item_rows, options,
                              &data.reports[2]));
  return data;
}

}  // namespace recommender
