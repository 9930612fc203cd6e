#include "training/timing/btyd/purchase_log.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

absl::Status LineError(const std::string& path, int line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", message));
}

absl::StatusOr<absl::CivilDay> ParseCompactDate(absl::string_view text) {
  int32_t value = 0;
  if (text.size() != 8 || !absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a date yyyymmdd, got \"", text, "\""));
  }
  const int year = value / 10000, month = value / 100 % 100, day = value % 100;
  const absl::CivilDay parsed(year, month, day);
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a calendar date: \"", text, "\""));
  }
  return parsed;
}

}  // namespace

absl::StatusOr<PurchaseLog> ReadCdnowFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFileToString(path);
  if (!contents.ok()) return contents.status();
  PurchaseLog log;
  absl::flat_hash_map<std::string, int32_t> rows;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*contents, '\n')) {
    ++line_number;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields[0] == "customer_id") continue;  // The master file's header.
    if (fields.size() != 4 && fields.size() != 5) {
      return LineError(path, line_number,
                       absl::StrCat("expected 4 columns (customer_id date "
                                    "number_of_cds dollar_value) or 5 "
                                    "(master_id sample_id yyyymmdd "
                                    "number_of_cds dollar_value), got ",
                                    fields.size()));
    }
    const size_t date_column = fields.size() - 3;
    absl::StatusOr<absl::CivilDay> day = ParseCompactDate(fields[date_column]);
    if (!day.ok()) {
      return LineError(path, line_number,
                       absl::StrCat("column ", date_column + 1, " (date): ",
                                    day.status().message()));
    }
    absl::StatusOr<double> value =
        ParseNonNegativeDecimal(fields[fields.size() - 1]);
    if (!value.ok()) {
      return LineError(path, line_number,
                       absl::StrCat("column ", fields.size(),
                                    " (dollar_value): ",
                                    value.status().message()));
    }
    const std::string id(fields[0]);
    auto [it, inserted] =
        rows.emplace(id, static_cast<int32_t>(log.customer_ids.size()));
    if (inserted) {
      log.customer_ids.push_back(id);
      log.purchases.emplace_back();
    }
    log.purchases[it->second].push_back({DayNumber(*day), *value});
  }
  if (log.customer_ids.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no purchases"));
  }
  return log;
}

PurchaseLog PurchaseLogFromShop(const ShopData& data,
                                int32_t utc_offset_seconds) {
  PurchaseLog log;
  std::vector<int32_t> rows(data.customers.size(), -1);
  for (const Event& e : data.events) {
    if (e.type != EventType::kPurchase) continue;
    if (rows[e.customer] < 0) {
      rows[e.customer] = static_cast<int32_t>(log.customer_ids.size());
      log.customer_ids.push_back(data.customers[e.customer].id);
      log.purchases.emplace_back();
    }
    log.purchases[rows[e.customer]].push_back(
        {DayNumber(e.unix_seconds, utc_offset_seconds),
         static_cast<double>(e.quantity) * e.unit_price});
  }
  return log;
}

std::vector<CustomerRfm> SummarizeLog(const PurchaseLog& log, int64_t end_day,
                                      double days_per_unit,
                                      std::vector<std::string>* ids) {
  std::vector<CustomerRfm> summaries;
  for (size_t c = 0; c < log.purchases.size(); ++c) {
    std::optional<CustomerRfm> rfm =
        SummarizePurchases(log.purchases[c], end_day, days_per_unit);
    if (!rfm.has_value()) continue;
    summaries.push_back(*rfm);
    if (ids != nullptr) ids->push_back(log.customer_ids[c]);
  }
  return summaries;
}

}  // namespace recommender
