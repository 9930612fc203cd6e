#include "recommender/factorization/ials_row_solver.h"

#include <cmath>

#include "Eigen/Cholesky"

namespace recommender {

Eigen::MatrixXf Gram(const ConstFactorsMap& factors) {
  return factors.transpose() * factors;
}

IalsRowSolver::IalsRowSolver(ConstGramMap gram, ConstFactorsMap fixed,
                             float alpha)
    : gram_(gram),
      fixed_(fixed),
      alpha_(alpha),
      a_(fixed.cols(), fixed.cols()),
      b_(fixed.cols()) {}

void IalsRowSolver::Solve(absl::Span<const int32_t> indices,
                          absl::Span<const float> strengths, float lambda,
                          float* out) {
  const Eigen::Index d = fixed_.cols();
  Eigen::Map<Eigen::VectorXf> x(out, d);
  if (indices.empty()) {
    x.setZero();
    return;
  }
  // gathered = sqrt(c - 1) * y_i, so gathered^T gathered adds
  // sum (c - 1) y_i y_i^T to the Gram matrix.
  gathered_.resize(static_cast<Eigen::Index>(indices.size()), d);
  b_.setZero();
  for (size_t k = 0; k < indices.size(); ++k) {
    const float confidence_extra = alpha_ * strengths[k];
    gathered_.row(k) = std::sqrt(confidence_extra) * fixed_.row(indices[k]);
    b_ += (1.0f + confidence_extra) * fixed_.row(indices[k]).transpose();
  }
  a_ = gram_;
  a_.diagonal().array() += lambda;
  a_.selfadjointView<Eigen::Lower>().rankUpdate(gathered_.transpose());
  x = a_.selfadjointView<Eigen::Lower>().llt().solve(b_);
}

}  // namespace recommender
