#include "recommender/filter/item_filter.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/quote.h"

namespace recommender {
namespace {

absl::Status ValidateCategoryList(const std::vector<std::string>& paths,
                                  absl::string_view field) {
  if (paths.size() > kMaxFilterCategories) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter.", field, ": at most ", kMaxFilterCategories,
                     " categories, got ", paths.size()));
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    if (absl::Status valid = ValidateCategoryPath(path); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("filter.", field, "[", i, "]: ", valid.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateItemFilter(const ItemFilter& filter) {
  if (absl::Status s =
          ValidateCategoryList(filter.include_categories, "include_categories");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateCategoryList(filter.exclude_categories, "exclude_categories");
      !s.ok()) {
    return s;
  }
  if (filter.exclude_item_ids.size() > kMaxExcludedItemIds) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter.exclude_item_ids: at most ", kMaxExcludedItemIds,
                     " ids, got ", filter.exclude_item_ids.size()));
  }
  for (size_t i = 0; i < filter.exclude_item_ids.size(); ++i) {
    if (absl::Status id = ValidateId(filter.exclude_item_ids[i]); !id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filter.exclude_item_ids[", i, "]: ", id.message()));
    }
  }
  if (filter.max_price.has_value() &&
      (!std::isfinite(*filter.max_price) || *filter.max_price < 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter.max_price: must be a number >= 0, got ",
                     *filter.max_price));
  }
  return absl::OkStatus();
}

bool CategoryIsUnder(absl::string_view category, absl::string_view path) {
  if (!absl::StartsWith(category, path)) return false;
  return category.size() == path.size() || category[path.size()] == '/';
}

BoundItemFilter::BoundItemFilter(const ItemFilter& filter,
                                 const ModelSnapshot& snapshot)
    : filter_(filter), snapshot_(snapshot) {
  for (const std::string& id : filter.exclude_item_ids) {
    if (std::optional<int32_t> row = snapshot.FindItem(id)) {
      excluded_rows_.insert(*row);
    }
  }
}

bool BoundItemFilter::Accepts(int32_t row) const {
  if (excluded_rows_.contains(row)) return false;
  const snapshot::Item& item = snapshot_.item(row);
  if (filter_.in_stock_only && !item.in_stock()) return false;
  if (filter_.max_price.has_value() && item.price() > *filter_.max_price) {
    return false;
  }
  for (const std::string& path : filter_.exclude_categories) {
    if (CategoryIsUnder(item.category(), path)) return false;
  }
  if (filter_.include_categories.empty()) return true;
  for (const std::string& path : filter_.include_categories) {
    if (CategoryIsUnder(item.category(), path)) return true;
  }
  return false;
}

}  // namespace recommender
