// How well inferred durability matches the truth (for the sample shop: the
// generator's ground_truth_items.csv, read by ReadSampleShopTruth), scored
// over the items whose catalog durability is empty, i.e. the inferred ones.
//
// Thread-safe: pure function.
#ifndef TRAINING_DURABILITY_DURABILITY_QUALITY_H_
#define TRAINING_DURABILITY_DURABILITY_QUALITY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "recommender/data/shop_data.h"
#include "training/durability/durability_inference.h"

namespace recommender {

struct DurabilityClassQuality {
  int32_t predicted = 0;  // Unlabeled items inferred as this class.
  int32_t actual = 0;     // Unlabeled items truly of this class.
  int32_t correct = 0;
  // correct / predicted and correct / actual; 0 when the denominator is 0.
  double precision = 0;
  double recall = 0;
};

struct DurabilityQuality {
  int32_t unlabeled_items = 0;
  // Unlabeled items given a class (not left unknown).
  int32_t inferred_items = 0;
  // Correct classes / unlabeled items (unknown counts as wrong).
  double accuracy = 0;
  DurabilityClassQuality durable;
  DurabilityClassQuality consumable;
};

// `inferred` and `truth` have one entry per item of `items`. InvalidArgument
// if the sizes differ or the truth of an unlabeled item is unknown.
absl::StatusOr<DurabilityQuality> ScoreInferredDurability(
    const std::vector<CatalogItem>& items,
    absl::Span<const InferredDurability> inferred,
    absl::Span<const Durability> truth);

}  // namespace recommender

#endif  // TRAINING_DURABILITY_DURABILITY_QUALITY_H_
