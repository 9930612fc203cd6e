#include "training/trainer/item_similarity_builder.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "recommender/util/status_macros.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {
namespace {

InteractionMatrix TouchMatrix(const ShopData& data) {
  return InteractionMatrix::FromEvents(
      static_cast<int32_t>(data.customers.size()),
      static_cast<int32_t>(data.items.size()), data.events,
      EventWeights{1, 1, 1});
}

snapshot::ItemNeighborList KnnList(const ItemKnnModel& model) {
  snapshot::ItemNeighborList list;
  list.set_name("item_knn");
  list.add_offsets(0);
  for (int32_t item = 0; item < model.num_items(); ++item) {
    const auto neighbors = model.Neighbors(item);
    const auto similarities = model.Similarities(item);
    list.mutable_neighbors()->Add(neighbors.begin(), neighbors.end());
    list.mutable_weights()->Add(similarities.begin(), similarities.end());
    list.add_offsets(list.neighbors_size());
  }
  return list;
}

// Each row's `keep` largest positive weights, largest first.
snapshot::ItemNeighborList EaseList(const EaseModel& model, int32_t keep) {
  snapshot::ItemNeighborList list;
  list.set_name("ease");
  list.add_offsets(0);
  std::vector<std::pair<float, int32_t>> row;
  for (int32_t item = 0; item < model.num_items(); ++item) {
    row.clear();
    for (int32_t j = 0; j < model.num_items(); ++j) {
      const float weight = model.weights()(item, j);
      if (weight > 0) row.emplace_back(weight, j);
    }
    const size_t kept = std::min(row.size(), static_cast<size_t>(keep));
    std::partial_sort(row.begin(), row.begin() + kept, row.end(),
                      [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first
                                                  : a.second < b.second;
                      });
    for (size_t k = 0; k < kept; ++k) {
      list.add_neighbors(row[k].second);
      list.add_weights(row[k].first);
    }
    list.add_offsets(list.neighbors_size());
  }
  return list;
}

}  // namespace

absl::StatusOr<snapshot::ItemSimilarities> BuildItemSimilarities(
    const ShopData& data, const ItemSimilarityOptions& options) {
  snapshot::ItemSimilarities similarities;
  if (!options.item_knn && !options.ease) return similarities;
  const InteractionMatrix matrix = TouchMatrix(data);
  if (options.item_knn) {
    ItemKnnOptions knn = options.knn;
    knn.threads = options.threads;
    ASSIGN_OR_RETURN(ItemKnnModel model, ItemKnnModel::Train(matrix, knn));
    *similarities.add_lists() = KnnList(model);
  }
  if (options.ease && matrix.num_columns() <= options.ease_model.max_items) {
    ASSIGN_OR_RETURN(EaseModel model, EaseModel::Train(matrix, options.ease_model));
    *similarities.add_lists() = EaseList(model, options.ease_neighbors);
  }
  return similarities;
}

}  // namespace recommender
