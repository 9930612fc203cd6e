// Small pieces every generated shop profile shares: the shop's clock (Japan
// time), daytime timestamps, and putting the generated events in order.
//
// Thread-safe: pure functions (the random source is the caller's).
#ifndef TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_
#define TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_

#include <algorithm>
#include <cstdint>
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

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_GENERATION_UTIL_H_
