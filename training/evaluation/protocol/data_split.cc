#include "training/evaluation/protocol/data_split.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

// Builds the split from a per-event decision; `as_of` gives each test
// customer's ranking time. Training events keep the data's order.
template <typename HeldOut, typename AsOf>
DataSplit Assemble(const ShopData& data, HeldOut held_out, AsOf as_of,
                   std::optional<absl::Time> test_end = std::nullopt) {
  DataSplit split;
  split.train.items = data.items;
  split.train.customers = data.customers;
  split.train.item_rows = data.item_rows;
  split.train.customer_rows = data.customer_rows;
  split.train.reports = data.reports;
  std::vector<bool> trained(data.customers.size(), false);
  std::vector<std::vector<int32_t>> purchased(data.customers.size());
  for (size_t i = 0; i < data.events.size(); ++i) {
    const Event& e = data.events[i];
    if (!held_out(i)) {
      split.train.events.push_back(e);
      trained[e.customer] = true;
      continue;
    }
    ++split.held_out_events;
    if (e.type == EventType::kPurchase &&
        (!test_end.has_value() ||
         absl::FromUnixSeconds(e.unix_seconds) < *test_end)) {
      purchased[e.customer].push_back(e.item);
    }
  }
  for (size_t c = 0; c < data.customers.size(); ++c) {
    std::vector<int32_t>& items = purchased[c];
    if (!trained[c] || items.empty()) continue;
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    split.test.push_back(
        {static_cast<int32_t>(c), as_of(static_cast<int32_t>(c)), std::move(items)});
  }
  return split;
}

// Per customer, the rows of their events in the data's order (the data
// need not be grouped by customer).
std::vector<std::vector<size_t>> EventRowsByCustomer(const ShopData& data) {
  std::vector<std::vector<size_t>> rows(data.customers.size());
  for (size_t i = 0; i < data.events.size(); ++i) {
    rows[data.events[i].customer].push_back(i);
  }
  return rows;
}

absl::Status BadSpec(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--split: expected time:YYYY-MM-DD, last-days:N or random-A-B (e.g. "
      "random-75-25), got \"", text, "\""));
}

}  // namespace

absl::StatusOr<SplitSpec> ParseSplitSpec(absl::string_view text) {
  SplitSpec spec;
  spec.text = std::string(text);
  if (absl::ConsumePrefix(&text, "time:")) {
    absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
    if (!day.ok()) return BadSpec(spec.text);
    spec.kind = SplitKind::kTime;
    spec.cutoff_day = *day;
    return spec;
  }
  if (absl::ConsumePrefix(&text, "last-days:")) {
    if (!absl::SimpleAtoi(text, &spec.days) || spec.days < 1) {
      return BadSpec(spec.text);
    }
    spec.kind = SplitKind::kLastDays;
    return spec;
  }
  if (absl::ConsumePrefix(&text, "random-")) {
    const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
    int train = 0, test = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &train) ||
        !absl::SimpleAtoi(parts[1], &test) || train < 1 || test < 1 ||
        train + test != 100) {
      return BadSpec(spec.text);
    }
    spec.kind = SplitKind::kRandom;
    spec.train_share = train / 100.0;
    return spec;
  }
  return BadSpec(spec.text);
}

DataSplit SplitAtTime(const ShopData& data, absl::Time cutoff,
                      std::optional<absl::Time> test_end) {
  const int64_t cutoff_seconds = absl::ToUnixSeconds(cutoff);
  return Assemble(
      data, [&](size_t i) { return data.events[i].unix_seconds >= cutoff_seconds; },
      [&](int32_t) { return cutoff; }, test_end);
}

DataSplit SplitLastDays(const ShopData& data, int32_t days) {
  std::vector<int64_t> newest(data.customers.size(), 0);
  for (const Event& e : data.events) {
    newest[e.customer] = std::max(newest[e.customer], e.unix_seconds);
  }
  std::vector<int64_t> window_start(data.customers.size(), 0);
  for (size_t c = 0; c < newest.size(); ++c) {
    window_start[c] = newest[c] - int64_t{days} * kSecondsPerDay;
  }
  return Assemble(
      data,
      [&](size_t i) {
        return data.events[i].unix_seconds >= window_start[data.events[i].customer];
      },
      [&](int32_t c) { return absl::FromUnixSeconds(window_start[c]); });
}

DataSplit SplitRandom(const ShopData& data, double train_share, uint64_t seed) {
  SeededRandom random(seed);
  std::vector<bool> held_out(data.events.size(), false);
  for (std::vector<size_t>& order : EventRowsByCustomer(data)) {
    const size_t n = order.size();
    // Fisher-Yates with the seeded source (platform-independent).
    for (size_t i = n; i > 1; --i) {
      std::swap(order[i - 1], order[random.UniformInt(static_cast<int64_t>(i))]);
    }
    const size_t train = static_cast<size_t>(std::lround(train_share * n));
    for (size_t i = train; i < n; ++i) held_out[order[i]] = true;
  }
  int64_t newest_train = 0;
  for (size_t i = 0; i < data.events.size(); ++i) {
    if (!held_out[i]) newest_train = std::max(newest_train, data.events[i].unix_seconds);
  }
  const absl::Time as_of = absl::FromUnixSeconds(newest_train);
  return Assemble(
      data, [&](size_t i) { return held_out[i]; }, [&](int32_t) { return as_of; });
}

DataSplit ApplySplit(const ShopData& data, const SplitSpec& spec, uint64_t seed,
                     int32_t utc_offset_seconds, int32_t test_days) {
  switch (spec.kind) {
    case SplitKind::kTime: {
      const absl::Time cutoff = absl::FromCivil(
          spec.cutoff_day, absl::FixedTimeZone(utc_offset_seconds));
      std::optional<absl::Time> test_end;
      if (test_days > 0) test_end = cutoff + absl::Hours(24 * test_days);
      return SplitAtTime(data, cutoff, test_end);
    }
    case SplitKind::kLastDays:
      return SplitLastDays(data, spec.days);
    case SplitKind::kRandom:
      break;
  }
  return SplitRandom(data, spec.train_share, seed);
}

}  // namespace recommender
