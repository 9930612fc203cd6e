// What every sample-shop profile's generator starts from (the default,
// wholesale and fashion generators derive from it): the options, one random
// source seeded from them, the history's window, and the shop being made.
//
// Not thread-safe: a generator is used by one thread, once.
#ifndef TRAINING_SAMPLE_DATA_SHOP_GENERATOR_H_
#define TRAINING_SAMPLE_DATA_SHOP_GENERATOR_H_

#include <cstdint>
#include <utility>

#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"
#include "training/sample_data/generation_util.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {

class ShopGenerator {
 protected:
  explicit ShopGenerator(const SampleShopOptions& options)
      : options_(options),
        rng_(options.seed),
        window_start_(GeneratedShopMidnight(options.first_day)),
        window_end_(window_start_ + options.num_days * kSecondsPerDay) {}

  // Puts the generated events in order without exact repeats, indexes the
  // rows, and hands the shop over (the generator is spent).
  SampleShop Finish() {
    SortAndDeduplicate(shop_.data.events);
    IndexShopRows(shop_.data);
    return std::move(shop_);
  }

  const SampleShopOptions options_;
  SeededRandom rng_;
  // The history: [window_start_, window_end_) in Unix seconds, from
  // midnight of options_.first_day in the shop's zone.
  const int64_t window_start_;
  const int64_t window_end_;
  SampleShop shop_;
};

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_SHOP_GENERATOR_H_
