#include "training/evaluation/movielens_loader.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "recommender/util/status_macros.h"

namespace recommender {
namespace {

// One tab-separated file with a RecBole header ("name:type" per column).
class AtomicFile {
 public:
  // Reads the header and finds `columns` (by name, type ignored).
  static absl::StatusOr<AtomicFile> Open(const std::string& path,
                                         const std::vector<std::string>& columns) {
    AtomicFile file(path);
    if (!file.stream_) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    std::string header;
    if (!std::getline(file.stream_, header)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file"));
    }
    ++file.line_;
    std::vector<std::string> names;
    for (absl::string_view field : absl::StrSplit(header, '\t')) {
      names.emplace_back(
          absl::StripAsciiWhitespace(field.substr(0, field.find(':'))));
    }
    for (const std::string& column : columns) {
      const auto it = std::find(names.begin(), names.end(), column);
      if (it == names.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ":1: missing column \"", column, "\" in the header"));
      }
      file.positions_.push_back(static_cast<int>(it - names.begin()));
    }
    file.width_ = static_cast<int>(names.size());
    return file;
  }

  // Calls `row` with the requested columns of each non-empty line, in the
  // order they were requested; stops at the first error.
  absl::Status ForEachRow(
      const std::function<absl::Status(const std::vector<std::string>&)>& row) {
    std::string text;
    std::vector<std::string> fields;
    while (std::getline(stream_, text)) {
      ++line_;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (text.empty()) continue;
      const std::vector<std::string> all = absl::StrSplit(text, '\t');
      if (static_cast<int>(all.size()) != width_) {
        return Error(absl::StrCat("expected ", width_, " tab-separated fields, got ",
                                  all.size()));
      }
      fields.clear();
      for (int p : positions_) fields.push_back(all[p]);
      RETURN_IF_ERROR(row(fields));
    }
    return absl::OkStatus();
  }

  absl::Status Error(absl::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(path_, ":", line_, ": ", message));
  }

 private:
  explicit AtomicFile(std::string path) : path_(std::move(path)), stream_(path_) {}

  std::string path_;
  std::ifstream stream_;
  int64_t line_ = 0;
  int width_ = 0;
  std::vector<int> positions_;
};

std::string AgeBand(int age) {
  if (age < 18) return "under-18";
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  return "55+";
}

absl::Status LoadItems(const std::string& path, ShopData& data) {
  ASSIGN_OR_RETURN(AtomicFile file,
                   AtomicFile::Open(path, {"item_id", "movie_title", "class"}));
  return file.ForEachRow([&](const std::vector<std::string>& f) {
    if (f[0].empty()) return file.Error("column item_id: empty id");
    if (data.item_rows.contains(f[0])) {
      return file.Error(absl::StrCat("column item_id: repeated id \"", f[0], "\""));
    }
    CatalogItem item;
    item.id = f[0];
    item.title = f[1];
    const std::vector<std::string> genres =
        absl::StrSplit(f[2], ' ', absl::SkipEmpty());
    item.category = genres.empty() ? "unknown" : absl::AsciiStrToLower(genres[0]);
    data.item_rows.emplace(item.id, static_cast<int32_t>(data.items.size()));
    data.items.push_back(std::move(item));
    return absl::OkStatus();
  });
}

absl::Status LoadUsers(const std::string& path, ShopData& data) {
  ASSIGN_OR_RETURN(AtomicFile file,
                   AtomicFile::Open(path, {"user_id", "age", "gender"}));
  return file.ForEachRow([&](const std::vector<std::string>& f) {
    if (f[0].empty()) return file.Error("column user_id: empty id");
    if (data.customer_rows.contains(f[0])) {
      return file.Error(absl::StrCat("column user_id: repeated id \"", f[0], "\""));
    }
    int age = 0;
    if (!absl::SimpleAtoi(f[1], &age) || age < 0) {
      return file.Error(absl::StrCat("column age: not an age: \"", f[1], "\""));
    }
    CustomerRecord customer;
    customer.id = f[0];
    customer.age_band = AgeBand(age);
    customer.gender = f[2];
    data.customer_rows.emplace(customer.id,
                               static_cast<int32_t>(data.customers.size()));
    data.customers.push_back(std::move(customer));
    return absl::OkStatus();
  });
}

absl::Status LoadInteractions(const std::string& path, bool users_known,
                              ShopData& data) {
  ASSIGN_OR_RETURN(AtomicFile file,
                   AtomicFile::Open(path, {"user_id", "item_id", "timestamp"}));
  return file.ForEachRow([&](const std::vector<std::string>& f) {
    auto item = data.item_rows.find(f[1]);
    if (item == data.item_rows.end()) {
      return file.Error(absl::StrCat("column item_id: unknown item \"", f[1], "\""));
    }
    double timestamp = 0;
    if (!absl::SimpleAtod(f[2], &timestamp) || timestamp < 0) {
      return file.Error(
          absl::StrCat("column timestamp: not Unix seconds: \"", f[2], "\""));
    }
    auto customer = data.customer_rows.find(f[0]);
    if (customer == data.customer_rows.end()) {
      if (users_known || f[0].empty()) {
        return file.Error(absl::StrCat("column user_id: unknown user \"", f[0], "\""));
      }
      customer = data.customer_rows
                     .emplace(f[0], static_cast<int32_t>(data.customers.size()))
                     .first;
      data.customers.push_back({f[0], {}, "", "", ""});
    }
    Event event;
    event.customer = customer->second;
    event.item = item->second;
    event.type = EventType::kPurchase;
    event.unix_seconds = static_cast<int64_t>(timestamp);
    data.events.push_back(event);
    return absl::OkStatus();
  });
}

}  // namespace

absl::StatusOr<ShopData> LoadMovieLens(const std::string& dir) {
  ShopData data;
  RETURN_IF_ERROR(LoadItems(absl::StrCat(dir, "/", kMovieLensItems), data));
  const std::string users = absl::StrCat(dir, "/", kMovieLensUsers);
  const bool users_known = std::ifstream(users).good();
  if (users_known) RETURN_IF_ERROR(LoadUsers(users, data));
  RETURN_IF_ERROR(LoadInteractions(absl::StrCat(dir, "/", kMovieLensInteractions),
                                   users_known, data));
  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const Event& a, const Event& b) {
                     return std::tie(a.customer, a.unix_seconds) <
                            std::tie(b.customer, b.unix_seconds);
                   });
  // Signup: the day of the customer's first rating.
  std::vector<int64_t> first(data.customers.size(), -1);
  for (const Event& e : data.events) {
    if (first[e.customer] < 0) first[e.customer] = e.unix_seconds;
  }
  for (size_t c = 0; c < data.customers.size(); ++c) {
    data.customers[c].signup_date = absl::ToCivilDay(
        absl::FromUnixSeconds(std::max<int64_t>(first[c], 0)), absl::UTCTimeZone());
  }
  return data;
}

}  // namespace recommender
