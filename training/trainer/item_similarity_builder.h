// The item-to-item candidate sources a snapshot with a learned ranker
// carries: item-kNN (Sarwar et al. 2001) and, when the catalog fits, EASE
// (Steck 2019), both learned on which items each customer touched (every
// view, cart and purchase counts 1, as the evaluation's baselines of the
// same name learn), stored as each item's strongest neighbours.
//
// Thread-safe: no shared state (uses `options.threads` threads).
#ifndef TRAINING_TRAINER_ITEM_SIMILARITY_BUILDER_H_
#define TRAINING_TRAINER_ITEM_SIMILARITY_BUILDER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "proto/snapshot.pb.h"
#include "recommender/data/shop_data.h"
#include "training/evaluation/baselines/ease.h"
#include "training/evaluation/baselines/item_knn.h"

namespace recommender {

// Both off by default: only a snapshot with a learned ranker uses them
// (the self-tuning turns them on when it trains one).
struct ItemSimilarityOptions {
  bool item_knn = false;
  ItemKnnOptions knn;
  // EASE is learned only for catalogs of at most ease.max_items items (its
  // weight matrix is dense); each item keeps its ease_neighbors largest
  // positive weights.
  bool ease = false;
  EaseOptions ease_model;
  int32_t ease_neighbors = 200;
  int32_t threads = 2;
};

// The lists named "item_knn" and "ease" (the latter left out above
// ease_model.max_items). Errors from the models' training.
absl::StatusOr<snapshot::ItemSimilarities> BuildItemSimilarities(
    const ShopData& data, const ItemSimilarityOptions& options);

}  // namespace recommender

#endif  // TRAINING_TRAINER_ITEM_SIMILARITY_BUILDER_H_
