#include "training/durability/durability_quality.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

void Finish(DurabilityClassQuality* q) {
  q->precision = q->predicted > 0 ? static_cast<double>(q->correct) / q->predicted : 0;
  q->recall = q->actual > 0 ? static_cast<double>(q->correct) / q->actual : 0;
}

}  // namespace

absl::StatusOr<DurabilityQuality> ScoreInferredDurability(
    const std::vector<CatalogItem>& items,
    absl::Span<const InferredDurability> inferred,
    absl::Span<const Durability> truth) {
  if (inferred.size() != items.size() || truth.size() != items.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "durability quality: ", items.size(), " items but ", inferred.size(),
        " inferred classes and ", truth.size(), " true classes"));
  }
  DurabilityQuality quality;
  int32_t correct = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].durability != Durability::kUnknown) continue;
    if (truth[i] == Durability::kUnknown) {
      return absl::InvalidArgumentError(absl::StrCat(
          "durability quality: item ", items[i].id, " has no true class"));
    }
    ++quality.unlabeled_items;
    const Durability guess = inferred[i].durability;
    if (guess != Durability::kUnknown) ++quality.inferred_items;
    DurabilityClassQuality& actual = truth[i] == Durability::kDurable
                                         ? quality.durable
                                         : quality.consumable;
    ++actual.actual;
    if (guess == Durability::kUnknown) continue;
    DurabilityClassQuality& predicted = guess == Durability::kDurable
                                            ? quality.durable
                                            : quality.consumable;
    ++predicted.predicted;
    if (guess == truth[i]) {
      ++predicted.correct;
      ++correct;
    }
  }
  Finish(&quality.durable);
  Finish(&quality.consumable);
  quality.accuracy =
      quality.unlabeled_items > 0 ? static_cast<double>(correct) / quality.unlabeled_items : 0;
  return quality;
}

}  // namespace recommender
