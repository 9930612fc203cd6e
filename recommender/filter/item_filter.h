// ItemFilter: the caller's restrictions on which items a response may hold
// (categories, price, stock, explicit exclusions), and its form bound to one
// snapshot for fast per-item checks.
#ifndef RECOMMENDER_FILTER_ITEM_FILTER_H_
#define RECOMMENDER_FILTER_ITEM_FILTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

// Request-size limits: each filter list is checked against them per
// candidate item, so an unbounded one would let one request cost seconds.
inline constexpr size_t kMaxFilterCategories = 100;
inline constexpr size_t kMaxExcludedItemIds = 1000;

struct ItemFilter {
  // Keep only items under one of these category paths (empty: any).
  std::vector<std::string> include_categories;
  // Drop items under any of these category paths.
  std::vector<std::string> exclude_categories;
  // Drop items priced above this.
  std::optional<double> max_price;
  bool in_stock_only = false;
  // Never return these ids; unknown ids are ignored.
  std::vector<std::string> exclude_item_ids;
};

// InvalidArgument naming the field ("filter.max_price",
// "filter.include_categories[2]") if the filter is malformed or a list is
// longer than its limit above.
absl::Status ValidateItemFilter(const ItemFilter& filter);

// True if `category` is `path` or lies below it: "kitchen" matches
// "kitchen/appliances" but not "kitchenware".
bool CategoryIsUnder(absl::string_view category, absl::string_view path);

// An ItemFilter resolved against one snapshot. Cheap to build per request;
// not thread-safe (one per request).
class BoundItemFilter {
 public:
  // `snapshot` must outlive this object.
  BoundItemFilter(const ItemFilter& filter, const ModelSnapshot& snapshot);

  // Additionally rejects one item row (e.g. an owned durable).
  void Exclude(int32_t row) { excluded_rows_.insert(row); }

  bool Accepts(int32_t row) const;

 private:
  const ItemFilter& filter_;
  const ModelSnapshot& snapshot_;
  absl::flat_hash_set<int32_t> excluded_rows_;
};

}  // namespace recommender

#endif  // RECOMMENDER_FILTER_ITEM_FILTER_H_
