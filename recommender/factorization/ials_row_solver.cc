#include "recommender/factorization/ials_row_solver.h"

#include <cmath>

#include "Eigen/Cholesky"

namespace recommender {
namespace {

// Rows ahead of the gather that are prefetched: the fixed factor rows are
// read in the row's random order, and each is a cache miss otherwise.
constexpr Eigen::Index kPrefetchAhead = 8;

}  // namespace

ConstFactorsMap FactorsMap(const float* data, Eigen::Index rows,
                           Eigen::Index cols) {
  return ConstFactorsMap(data, rows, cols, Eigen::OuterStride<>(cols));
}

ConstFactorsMap FactorColumns(const float* data, Eigen::Index rows,
                              Eigen::Index dimension, Eigen::Index offset,
                              Eigen::Index width) {
  return ConstFactorsMap(data + offset, rows, width,
                         Eigen::OuterStride<>(dimension));
}

Eigen::MatrixXf Gram(const ConstFactorsMap& factors) {
  return factors.transpose() * factors;
}

float IalsRowRegularization(float regularization, float exponent,
                            int64_t other_side_size, float alpha,
                            double total_strength) {
  if (exponent == 0) return regularization;
  const double total =
      static_cast<double>(other_side_size) + alpha * total_strength;
  return static_cast<float>(regularization *
                            std::pow(total, static_cast<double>(exponent)));
}

IalsRowSolver::IalsRowSolver(ConstGramMap gram, ConstFactorsMap fixed,
                             float alpha)
    : gram_(gram),
      fixed_(fixed),
      alpha_(alpha),
      b_(fixed.cols()),
      x_(fixed.cols()) {}

void IalsRowSolver::Gather(absl::Span<const int32_t> indices,
                           absl::Span<const float> strengths) {
  const auto count = static_cast<Eigen::Index>(indices.size());
  const Eigen::Index d = fixed_.cols();
  gathered_.resize(count, d);
  extra_.resize(count);
  b_.setZero();
  const size_t row_bytes = sizeof(float) * d;
  for (Eigen::Index k = 0; k < count; ++k) {
    if (k + kPrefetchAhead < count) {
      const char* ahead = reinterpret_cast<const char*>(
          fixed_.row(indices[k + kPrefetchAhead]).data());
      for (size_t byte = 0; byte < row_bytes; byte += 64) {
        __builtin_prefetch(ahead + byte);
      }
    }
    // Observed pairs: confidence 1 + extra, preference 1.
    extra_[k] = alpha_ * strengths[k];
    gathered_.row(k) = fixed_.row(indices[k]);
    b_ += (1.0f + extra_[k]) * gathered_.row(k).transpose();
  }
}

Eigen::VectorXf IalsRowSolver::Apply(const Eigen::VectorXf& v,
                                     float lambda) const {
  Eigen::VectorXf projected = gathered_ * v;
  projected.array() *= extra_.array();
  Eigen::VectorXf result = gram_ * v;
  result.noalias() += gathered_.transpose() * projected;
  result += lambda * v;
  return result;
}

void IalsRowSolver::Solve(absl::Span<const int32_t> indices,
                          absl::Span<const float> strengths, float lambda,
                          float* out) {
  Eigen::Map<Eigen::VectorXf> x(out, fixed_.cols());
  if (indices.empty()) {
    x.setZero();
    return;
  }
  Gather(indices, strengths);
  // gathered^T diag(extra) gathered, via sqrt(extra) scaling, adds
  // sum (c - 1) y_i y_i^T to the Gram matrix.
  const RowMajorFactors scaled =
      extra_.array().sqrt().matrix().asDiagonal() * gathered_;
  Eigen::MatrixXf a = gram_;
  a.diagonal().array() += lambda;
  a.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
  x_ = a.selfadjointView<Eigen::Lower>().llt().solve(b_);
  x = x_;
}

void IalsRowSolver::Refine(absl::Span<const int32_t> indices,
                           absl::Span<const float> strengths, float lambda,
                           int steps, float* x) {
  Eigen::Map<Eigen::VectorXf> out(x, fixed_.cols());
  if (indices.empty()) {
    out.setZero();
    return;
  }
  Gather(indices, strengths);
  x_ = out;
  Eigen::VectorXf r = b_ - Apply(x_, lambda);
  Eigen::VectorXf p = r;
  float rs = r.squaredNorm();
  for (int step = 0; step < steps && rs > 1e-20f; ++step) {
    const Eigen::VectorXf ap = Apply(p, lambda);
    const float curvature = p.dot(ap);
    if (!(curvature > 0)) break;
    const float a = rs / curvature;
    x_ += a * p;
    r -= a * ap;
    const float rs_next = r.squaredNorm();
    p = r + (rs_next / rs) * p;
    rs = rs_next;
  }
  out = x_;
}

}  // namespace recommender
