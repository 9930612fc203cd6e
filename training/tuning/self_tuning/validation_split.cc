#include "training/tuning/self_tuning/validation_split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

constexpr int32_t kMinValidationDays = 7;

int64_t LocalDay(int64_t unix_seconds, int32_t utc_offset_seconds) {
  const int64_t local = unix_seconds + utc_offset_seconds;
  return local >= 0 ? local / kSecondsPerDay
                    : -((-local + kSecondsPerDay - 1) / kSecondsPerDay);
}

// Keeps `count` of `customers`, chosen by `seed`, in their order.
void KeepSeededSample(int32_t count, uint64_t seed,
                      std::vector<TestCustomer>& customers) {
  std::vector<size_t> order(customers.size());
  std::iota(order.begin(), order.end(), 0);
  SeededRandom random(seed);
  // The first `count` of a seeded Fisher-Yates shuffle.
  for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
    const size_t j = i + static_cast<size_t>(random.UniformInt(
                             static_cast<int64_t>(order.size() - i)));
    std::swap(order[i], order[j]);
  }
  order.resize(count);
  std::sort(order.begin(), order.end());
  std::vector<TestCustomer> kept;
  kept.reserve(count);
  for (size_t i : order) kept.push_back(std::move(customers[i]));
  customers = std::move(kept);
}

}  // namespace

int32_t PurchaseCadenceDays(const ShopData& data, int32_t utc_offset_seconds) {
  std::vector<int64_t> gaps;
  // Events are sorted by customer, then time.
  int32_t customer = -1;
  int64_t last_day = 0;
  for (const Event& e : data.events) {
    if (e.type != EventType::kPurchase) continue;
    const int64_t day = LocalDay(e.unix_seconds, utc_offset_seconds);
    if (e.customer == customer && day > last_day) gaps.push_back(day - last_day);
    if (e.customer != customer || day > last_day) last_day = day;
    customer = e.customer;
  }
  if (gaps.empty()) return kMinValidationDays;
  auto middle = gaps.begin() + gaps.size() / 2;
  std::nth_element(gaps.begin(), middle, gaps.end());
  return static_cast<int32_t>(std::max<int64_t>(kMinValidationDays, *middle));
}

absl::StatusOr<ValidationSplit> MakeValidationSplit(
    const ShopData& data, const ValidationOptions& options) {
  ValidationSplit result;
  if (options.kind == ValidationKind::kRandom) {
    result.split = SplitRandom(data, 1 - options.held_out_share, options.seed);
    result.description = absl::StrFormat(
        "random: %.0f%% of each customer's events (seed %d)",
        100 * options.held_out_share, options.seed);
  } else {
    int64_t first = 0;
    int64_t last = 0;
    for (const Event& e : data.events) {
      first = first == 0 ? e.unix_seconds : std::min(first, e.unix_seconds);
      last = std::max(last, e.unix_seconds);
    }
    const int32_t span_days =
        static_cast<int32_t>((last - first) / kSecondsPerDay);
    int32_t days = options.days;
    if (days <= 0 && options.horizon_days > 0) {
      days = std::max(kMinValidationDays,
                      std::min(options.horizon_days, span_days / 2));
    }
    if (days <= 0) days = PurchaseCadenceDays(data, options.utc_offset_seconds);
    while (true) {
      const absl::Time cutoff =
          absl::FromUnixSeconds(last - int64_t{days} * kSecondsPerDay);
      result.split = SplitAtTime(data, cutoff);
      result.days = days;
      result.description = absl::StrFormat(
          "time: the last %d days (from %s)", days, FormatRfc3339Utc(cutoff));
      const bool enough =
          static_cast<int32_t>(result.split.test.size()) >= options.min_customers;
      if (enough || options.days > 0 || 2 * days > span_days / 2) break;
      days *= 2;
    }
  }
  if (static_cast<int32_t>(result.split.test.size()) < options.min_customers) {
    return absl::FailedPreconditionError(absl::StrCat(
        "self-tuning: ", result.description, " holds ",
        result.split.test.size(), " customers with history and a purchase; ",
        "need at least ", options.min_customers));
  }
  result.eligible_customers = static_cast<int32_t>(result.split.test.size());
  if (options.max_customers > 0 &&
      result.eligible_customers > options.max_customers) {
    KeepSeededSample(options.max_customers, options.seed, result.split.test);
    absl::StrAppendFormat(&result.description, "; %d of its %d customers",
                          options.max_customers, result.eligible_customers);
  }
  return result;
}

}  // namespace recommender
