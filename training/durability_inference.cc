#include "training/durability_inference.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace recommender {
namespace {

struct LabelCounts {
  int durable = 0;
  int consumable = 0;
};

// "a/b/c" -> "a/b"; "a" -> "".
absl::string_view Parent(absl::string_view category) {
  const size_t slash = category.rfind('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : category.substr(0, slash);
}

}  // namespace

std::vector<InferredDurability> InferDurabilityByCategory(
    const std::vector<CatalogItem>& items) {
  // Labels counted at every level of each labeled item's category path.
  absl::flat_hash_map<std::string, LabelCounts> counts;
  for (const CatalogItem& item : items) {
    if (item.durability == Durability::kUnknown) continue;
    for (absl::string_view path = item.category; !path.empty();
         path = Parent(path)) {
      LabelCounts& c = counts[path];
      (item.durability == Durability::kDurable ? c.durable : c.consumable)++;
    }
  }
  std::vector<InferredDurability> result(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].durability != Durability::kUnknown) {
      result[i] = {items[i].durability, 1.0f};
      continue;
    }
    for (absl::string_view path = items[i].category; !path.empty();
         path = Parent(path)) {
      auto it = counts.find(path);
      if (it == counts.end()) continue;
      const LabelCounts& c = it->second;
      if (c.durable == c.consumable) break;  // No majority: stay unknown.
      const bool durable = c.durable > c.consumable;
      result[i] = {durable ? Durability::kDurable : Durability::kConsumable,
                   static_cast<float>(durable ? c.durable : c.consumable) /
                       static_cast<float>(c.durable + c.consumable)};
      break;
    }
  }
  return result;
}

}  // namespace recommender
