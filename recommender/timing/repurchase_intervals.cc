#include "recommender/timing/repurchase_intervals.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"

namespace recommender {

std::vector<ItemHistory> GroupByItem(
    absl::Span<const ConsumablePurchase> purchases, int64_t as_of_seconds) {
  std::vector<ItemHistory> histories;
  absl::flat_hash_map<int32_t, size_t> index;
  for (const ConsumablePurchase& p : purchases) {
    if (p.unix_seconds > as_of_seconds) continue;
    auto [it, inserted] = index.emplace(p.item, histories.size());
    if (inserted) histories.push_back({p.item, {}});
    histories[it->second].purchases.push_back(p);
  }
  constexpr double kMinSeconds = kMinIntervalDays * 86400;
  for (ItemHistory& history : histories) {
    std::vector<ConsumablePurchase>& list = history.purchases;
    std::stable_sort(list.begin(), list.end(),
                     [](const ConsumablePurchase& a, const ConsumablePurchase& b) {
                       return a.unix_seconds < b.unix_seconds;
                     });
    size_t out = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      if (out > 0 && list[i].unix_seconds - list[out - 1].unix_seconds <
                         kMinSeconds) {
        list[out - 1].quantity += std::max(1, list[i].quantity);
      } else {
        list[out] = list[i];
        list[out].quantity = std::max(1, list[out].quantity);
        ++out;
      }
    }
    list.resize(out);
  }
  return histories;
}

std::vector<RepurchaseInterval> CollectIntervals(
    absl::Span<const ItemHistory> histories) {
  std::vector<RepurchaseInterval> intervals;
  for (const ItemHistory& history : histories) {
    for (size_t k = 1; k < history.purchases.size(); ++k) {
      const ConsumablePurchase& from = history.purchases[k - 1];
      const double days =
          static_cast<double>(history.purchases[k].unix_seconds -
                              from.unix_seconds) /
          86400.0;
      intervals.push_back({history.item, std::log(days),
                           std::log(static_cast<double>(from.quantity))});
    }
  }
  return intervals;
}

}  // namespace recommender
