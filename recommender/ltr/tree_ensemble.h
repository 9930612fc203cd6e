// TreeEnsemble: the prediction of a gradient-boosted tree ensemble (an
// XGBoost gbtree with one output) evaluated over flat arrays, with no call
// into XGBoost. Built from the model's JSON (XGBoosterSaveModelToBuffer
// with {"format": "json"}); XGBoost stays the trainer and the reference.
//
// It computes what XGBoost's CPU predictor computes, bit for bit: the
// score of a row starts at base_score and adds each tree's leaf in tree
// order in float; at a split, a NaN value takes the node's default branch,
// any other value goes left if value < threshold (float compare), else
// right. Models it cannot evaluate that way (categorical splits, several
// outputs, a booster other than gbtree, an objective whose prediction
// transforms the margin) are refused with Unimplemented, so that the
// caller keeps XGBoost for them.
//
// Thread-safe: immutable after construction; Predict uses only the
// calling thread and allocates nothing.
#ifndef RECOMMENDER_LTR_TREE_ENSEMBLE_H_
#define RECOMMENDER_LTR_TREE_ENSEMBLE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace recommender {

class TreeEnsemble {
 public:
  // Parses XGBoost's JSON model (1.6+ layout). InvalidArgument if the JSON
  // is malformed or inconsistent (a child or feature out of range, a node
  // reached twice); Unimplemented for a model outside the scope above, with
  // a tree deeper than 14 splits, or with more than 2^22 nodes in all once
  // padded (each tree is stored padded to its depth: every leaf is copied
  // down to the tree's deepest level).
  static absl::StatusOr<TreeEnsemble> FromXgboostJson(absl::string_view json);

  int32_t num_features() const { return num_features_; }
  int32_t num_trees() const { return static_cast<int32_t>(trees_.size()); }

  // scores[i] = the prediction of row i of `rows` (scores.size() rows of
  // num_features() floats, row-major; NaN marks a missing value). The
  // caller checks the sizes.
  void Predict(absl::Span<const float> rows, absl::Span<float> scores) const;

 private:
  // Each tree is stored complete, in heap order (node i's children at
  // 2i + 1 and 2i + 2): its 2^depth - 1 splits, then its 2^depth leaves.
  struct Tree {
    // Offsets of the tree's first split in splits_ / thresholds_ and of
    // its first leaf in leaves_.
    int32_t splits;
    int32_t leaves;
    // Splits on the way from the root to any leaf.
    int32_t depth;
  };

  TreeEnsemble() = default;

  // Per split: the feature tested (low 31 bits) and, in the top bit,
  // whether a missing value goes right; the threshold (left if value <
  // threshold). Per leaf: its value.
  std::vector<int32_t> splits_;
  std::vector<float> thresholds_;
  std::vector<float> leaves_;
  // In XGBoost's tree order.
  std::vector<Tree> trees_;
  float base_score_ = 0;
  int32_t num_features_ = 0;
};

}  // namespace recommender

#endif  // RECOMMENDER_LTR_TREE_ENSEMBLE_H_
