// EASE, the "embarrassingly shallow autoencoder" (Steck 2019, "Embarrassingly
// Shallow Autoencoders for Sparse Data"): an item x item weight matrix B with
// zero diagonal minimising |X - X B|^2 + l2 |B|^2, in closed form:
//   P = (X^T X + l2 I)^-1,   B_ij = -P_ij / P_jj (i != j),   B_ii = 0.
// A customer's scores are their history row times B.
//
// B is dense, num_items^2 floats (1.6 GB at 20,000 items), and training
// inverts a matrix of that size, hence the `max_items` limit.
//
// Immutable after Train; Score is thread-safe.
#ifndef TRAINING_EVALUATION_BASELINES_EASE_H_
#define TRAINING_EVALUATION_BASELINES_EASE_H_

#include <cstdint>

#include "Eigen/Core"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {

struct EaseOptions {
  // The L2 penalty lambda (> 0).
  float l2 = 500;
  // Catalogs with more items are refused (InvalidArgument).
  int32_t max_items = 20000;
  // true: X is the 0/1 pattern of the matrix (Steck's setting; l2 is then
  // in units of customers), in training and in Score's history; false: X
  // holds the matrix's values.
  bool binary = true;
};

class EaseModel {
 public:
  using Weights =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  // InvalidArgument if l2 <= 0 or the matrix has more than max_items
  // columns (the message names both numbers).
  static absl::StatusOr<EaseModel> Train(const InteractionMatrix& matrix,
                                         const EaseOptions& options);

  // Overwrites `scores` (size = the training matrix's num_columns()) with
  // sum over history items i of v_i * B_ij for every item j (v_i = 1 if
  // binary); history items outside the catalog are ignored.
  void Score(absl::Span<const int32_t> history_items,
             absl::Span<const float> history_values,
             absl::Span<float> scores) const;

  int32_t num_items() const { return static_cast<int32_t>(weights_.rows()); }
  // B, num_items x num_items; row i holds item i's contributions.
  const Weights& weights() const { return weights_; }

 private:
  EaseModel() = default;

  bool binary_ = true;
  Weights weights_;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_BASELINES_EASE_H_
