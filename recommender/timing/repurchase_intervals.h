// A customer's purchases of consumables turned into re-purchase intervals:
// the days between two purchases of the same item, with the units bought
// at the first of them. Shared by the model's fitting (training/) and its
// forecasts (repurchase_model.h) so both see the same intervals.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_REPURCHASE_INTERVALS_H_
#define RECOMMENDER_TIMING_REPURCHASE_INTERVALS_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace recommender {

// One purchase of an item by one customer.
struct ConsumablePurchase {
  int32_t item = 0;  // Row in the item table.
  int64_t unix_seconds = 0;
  int32_t quantity = 1;
};

// Purchases of one item closer than this are one purchase (their units
// add up): a second order the same day is not a new cycle.
inline constexpr double kMinIntervalDays = 0.5;

// One customer's history of one item: purchases in time order, merged as
// above.
struct ItemHistory {
  int32_t item = 0;
  std::vector<ConsumablePurchase> purchases;
};

// Groups `purchases` (any order) made at or before `as_of_seconds` by item,
// items in order of first appearance.
std::vector<ItemHistory> GroupByItem(absl::Span<const ConsumablePurchase> purchases,
                                     int64_t as_of_seconds);

// The interval from one purchase of an item to the next.
struct RepurchaseInterval {
  int32_t item = 0;
  double log_days = 0;      // log of the days between the two purchases.
  double log_quantity = 0;  // log of the units bought at the first one.
};

// All intervals of the histories, item by item.
std::vector<RepurchaseInterval> CollectIntervals(
    absl::Span<const ItemHistory> histories);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_REPURCHASE_INTERVALS_H_
