// Item-based k-nearest-neighbour recommender, the classic collaborative
// baseline (Sarwar, Karypis, Konstan & Riedl 2001, "Item-Based
// Collaborative Filtering Recommendation Algorithms"; Deshpande & Karypis
// 2004 for the top-k model).
//
// The similarity of items i and j is the shrunk cosine of their columns:
//   s_ij = (r_i . r_j) / (|r_i| |r_j| + shrinkage),
// where r_i is item i's column of the interaction matrix (its values, or 1
// for every entry with `binary`). Each item keeps only its `neighbors` most
// similar other items (ties to the lower index); a customer's score for item
// j is sum over history items i of v_i * s_ij, over i's kept neighbours j.
//
// Immutable after Train; Score is thread-safe.
#ifndef TRAINING_EVALUATION_BASELINES_ITEM_KNN_H_
#define TRAINING_EVALUATION_BASELINES_ITEM_KNN_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {

struct ItemKnnOptions {
  // Similar items kept per item (>= 1).
  int32_t neighbors = 100;
  // Added to the cosine's denominator (>= 0); damps similarities resting on
  // few shared customers.
  float shrinkage = 10;
  int32_t threads = 2;
  // true: every interaction counts 1 (in training and in Score's history),
  // so that shrinkage is in units of shared customers whatever the event
  // weights; false: interactions are weighted by their values.
  bool binary = true;
};

class ItemKnnModel {
 public:
  // InvalidArgument naming the option if one is out of range.
  static absl::StatusOr<ItemKnnModel> Train(const InteractionMatrix& matrix,
                                            const ItemKnnOptions& options);

  // Overwrites `scores` (size = the training matrix's num_columns()) with
  // every item's score for a customer whose history is the (items, values)
  // row; history items outside the catalog are ignored. Items without a
  // similar history item score 0.
  void Score(absl::Span<const int32_t> history_items,
             absl::Span<const float> history_values,
             absl::Span<float> scores) const;

  int32_t num_items() const {
    return static_cast<int32_t>(offsets_.size()) - 1;
  }
  // Item i's kept neighbours, most similar first, and their similarities.
  absl::Span<const int32_t> Neighbors(int32_t item) const;
  absl::Span<const float> Similarities(int32_t item) const;

 private:
  ItemKnnModel() = default;

  bool binary_ = false;
  std::vector<int64_t> offsets_;  // num_items + 1
  std::vector<int32_t> neighbors_;
  std::vector<float> similarities_;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_BASELINES_ITEM_KNN_H_
