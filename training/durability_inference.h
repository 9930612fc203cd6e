// Fills in the durability of catalog items the shop left unlabeled, so that
// the server's "never re-offer an owned durable" rule covers them too.
//
// The rule here is the simplest that uses the shop's own labels: an
// unlabeled item takes the majority class of the labeled items in its
// category (or its parent categories), with the majority's share as its
// confidence. Items whose category tree has no labels stay unknown.
#ifndef TRAINING_DURABILITY_INFERENCE_H_
#define TRAINING_DURABILITY_INFERENCE_H_

#include <vector>

#include "recommender/data/shop_data.h"

namespace recommender {

struct InferredDurability {
  Durability durability = Durability::kUnknown;
  // Share of labeled items agreeing, in [0, 1]; 0 when unknown.
  float confidence = 0;
};

// One entry per item; labeled items are returned as given, confidence 1.
std::vector<InferredDurability> InferDurabilityByCategory(
    const std::vector<CatalogItem>& items);

}  // namespace recommender

#endif  // TRAINING_DURABILITY_INFERENCE_H_
