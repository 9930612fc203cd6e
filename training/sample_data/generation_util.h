// Small pieces every generated shop profile shares: the shop's clock (Japan
// time), daytime timestamps, where customers live, when they sign up and
// churn, drawing by running sums of weights, and putting the generated
// events in order.
//
// Thread-safe: pure functions (the random source is the caller's).
#ifndef TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_
#define TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data.h"
#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"

namespace recommender {

// Generated shops live in Japan time (+09:00), as the files they write.
inline absl::TimeZone GeneratedShopZone() {
  return absl::FixedTimeZone(9 * 3600);
}

// Unix seconds of midnight starting `day` in the shop's zone.
inline int64_t GeneratedShopMidnight(absl::CivilDay day) {
  return absl::ToUnixSeconds(absl::FromCivil(day, GeneratedShopZone()));
}

// The day of `unix_seconds` in the shop's zone.
inline absl::CivilDay GeneratedShopDay(int64_t unix_seconds) {
  return absl::ToCivilDay(absl::FromUnixSeconds(unix_seconds),
                          GeneratedShopZone());
}

// The regions generated customers live in; DrawRegion picks an index.
inline constexpr const char* kGeneratedRegions[] = {
    "Tokyo", "Osaka", "Kanagawa", "Aichi",   "Hokkaido",
    "Fukuoka", "Kyoto", "Hyogo",  "Saitama", "Okinawa"};

// An index into kGeneratedRegions, the larger prefectures more likely.
inline int DrawRegion(SeededRandom& rng) {
  return rng.Categorical({3, 2, 1.5, 1.2, 0.8, 0.8, 0.6, 0.6, 0.8, 0.3});
}

// A signup time for a customer of a shop whose history starts at
// `window_start` and lasts `num_days`: uniform from a year before the start
// to 30 days before the end.
inline int64_t DrawSignup(SeededRandom& rng, int64_t window_start,
                          int32_t num_days) {
  return window_start - 365 * kSecondsPerDay +
         rng.UniformInt((365 + static_cast<int64_t>(num_days) - 30) *
                        kSecondsPerDay);
}

// With chance `share`, when a customer active from `active_from` stops
// buying: uniform in the rest of the window (at least a day); otherwise
// nullopt (the customer stays to `window_end`).
inline std::optional<int64_t> DrawChurn(SeededRandom& rng, double share,
                                        int64_t active_from,
                                        int64_t window_end) {
  if (!rng.Bernoulli(share)) return std::nullopt;
  return active_from + rng.UniformInt(std::max<int64_t>(
                           kSecondsPerDay, window_end - active_from));
}

// Adds `weight` to `running_sums`, the running sums of the weights so far
// (the form DrawByRunningSums reads).
inline void AppendRunningSum(std::vector<double>& running_sums,
                             double weight) {
  running_sums.push_back(weight +
                         (running_sums.empty() ? 0.0 : running_sums.back()));
}

// A position k drawn with chance weight[k] / total, given the weights'
// running sums (not empty).
inline size_t DrawByRunningSums(SeededRandom& rng,
                                const std::vector<double>& running_sums) {
  const double target = rng.Uniform() * running_sums.back();
  return std::min<size_t>(
      std::upper_bound(running_sums.begin(), running_sums.end(), target) -
          running_sums.begin(),
      running_sums.size() - 1);
}

// A time between 08:00 and 24:00 on the day of `t`, days counted from
// `window_start` (a midnight).
inline int64_t DaytimeOf(SeededRandom& rng, int64_t window_start, int64_t t) {
  const int64_t day_start =
      window_start + ((t - window_start) / kSecondsPerDay) * kSecondsPerDay;
  return day_start + 8 * 3600 + rng.UniformInt(16 * 3600);
}

// Sorts events by time and drops accidental exact repeats (same time,
// customer, item and type: the loader would reject them as duplicates).
inline void SortAndDeduplicate(std::vector<Event>& events) {
  auto key = [](const Event& e) {
    return std::make_tuple(e.unix_seconds, e.customer, e.item, e.type);
  };
  std::sort(events.begin(), events.end(),
            [&](const Event& a, const Event& b) { return key(a) < key(b); });
  events.erase(std::unique(events.begin(), events.end(),
                           [&](const Event& a, const Event& b) {
                             return key(a) == key(b);
                           }),
               events.end());
}

// Fills the id -> row maps of a generated shop's items and customers.
inline void IndexShopRows(ShopData& data) {
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
}

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_
