#include "training/evaluation/baselines/ease.h"

#include <algorithm>
#include <utility>

#include "Eigen/Cholesky"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

// X^T X + l2 I, accumulated customer by customer (lower triangle only).
Eigen::MatrixXf RegularizedGram(const InteractionMatrix& matrix, float l2,
                                bool binary) {
  const int32_t n = matrix.num_columns();
  Eigen::MatrixXf gram = Eigen::MatrixXf::Zero(n, n);
  for (int32_t u = 0; u < matrix.num_rows(); ++u) {
    const auto items = matrix.RowIndices(u);
    const auto values = matrix.RowValues(u);
    for (size_t a = 0; a < items.size(); ++a) {
      for (size_t b = 0; b <= a; ++b) {
        // Columns ascend within a row, so items[a] >= items[b].
        gram(items[a], items[b]) += binary ? 1.0f : values[a] * values[b];
      }
    }
  }
  gram.diagonal().array() += l2;
  return gram;
}

}  // namespace

absl::StatusOr<EaseModel> EaseModel::Train(const InteractionMatrix& matrix,
                                           const EaseOptions& options) {
  if (!(options.l2 > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("EASE l2 must be > 0, got ", options.l2));
  }
  if (matrix.num_columns() > options.max_items) {
    return absl::InvalidArgumentError(absl::StrCat(
        "EASE needs a dense ", matrix.num_columns(), " x ",
        matrix.num_columns(), " matrix: the catalog has ",
        matrix.num_columns(), " items, above max_items = ", options.max_items));
  }
  const int32_t n = matrix.num_columns();
  // X^T X + l2 I is symmetric positive definite for l2 > 0; factored in
  // place so that at most two n x n float matrices exist at once.
  Eigen::MatrixXf gram = RegularizedGram(matrix, options.l2, options.binary);
  Eigen::LLT<Eigen::Ref<Eigen::MatrixXf>> cholesky(gram);
  if (cholesky.info() != Eigen::Success) {
    return absl::InternalError(
        "EASE: X^T X + l2 I is not numerically positive definite");
  }
  EaseModel model;
  model.binary_ = options.binary;
  model.weights_ = Weights::Identity(n, n);
  cholesky.solveInPlace(model.weights_);  // P = (X^T X + l2 I)^-1
  gram.resize(0, 0);
  // B_ij = -P_ij / P_jj; P_jj > 0 as P is positive definite.
  const Eigen::RowVectorXf scale = -model.weights_.diagonal().cwiseInverse();
  for (int32_t i = 0; i < n; ++i) {
    model.weights_.row(i).array() *= scale.array();
    model.weights_(i, i) = 0.0f;
  }
  return model;
}

void EaseModel::Score(absl::Span<const int32_t> history_items,
                      absl::Span<const float> history_values,
                      absl::Span<float> scores) const {
  Eigen::Map<Eigen::RowVectorXf> out(scores.data(),
                                     static_cast<Eigen::Index>(scores.size()));
  out.setZero();
  for (size_t k = 0; k < history_items.size(); ++k) {
    const int32_t i = history_items[k];
    if (i < 0 || i >= num_items()) continue;
    out += (binary_ ? 1.0f : history_values[k]) * weights_.row(i);
  }
}

}  // namespace recommender
