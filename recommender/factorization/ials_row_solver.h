// One row of implicit-feedback alternating least squares (Hu, Koren &
// Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets"):
// given fixed factors Y on the other side, the row's vector x minimises
//   sum_i c_i (p_i - x . y_i)^2 + lambda |x|^2,  c_i = 1 + alpha * s_i,
// with p_i = 1 for the interacted items i (strength s_i) and 0 elsewhere,
// that is, solves the d x d system
//   (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I) x = Y_u^T C_u 1,
// in which unobserved pairs cost nothing once Y^T Y is known.
//
// The one implementation of that step: the trainer's half-steps
// (training/ials/ials.h) solve every row with it, and the server folds a
// customer's new events in with it against a snapshot's item factors
// without retraining (recommender/live/fold_in.h). Two solves:
//  - Solve: the exact solution (Cholesky), O(n_u d^2 + d^3) per row;
//  - Refine: a few conjugate-gradient steps from a starting vector, never
//    forming the system (Takacs, Pilaszy & Tikk 2011, "Applications of the
//    Conjugate Gradient Method for Implicit Feedback Collaborative
//    Filtering"), O(d^2 + n_u d) per step.
//
// Thread-safety: Gram and IalsRowRegularization are pure; an IalsRowSolver
// holds scratch space, so use one per thread.
#ifndef RECOMMENDER_FACTORIZATION_IALS_ROW_SOLVER_H_
#define RECOMMENDER_FACTORIZATION_IALS_ROW_SOLVER_H_

#include <cstdint>

#include "Eigen/Core"
#include "absl/types/span.h"

namespace recommender {

// Factor vectors, one per row, contiguous (the layout of snapshots and of
// the trainer's factor matrices).
using RowMajorFactors =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
// Factor vectors held elsewhere, one per row, each row's values contiguous
// and rows outerStride() floats apart: a whole matrix (FactorsMap) or a
// block of its columns (FactorColumns).
using ConstFactorsMap =
    Eigen::Map<const RowMajorFactors, Eigen::Unaligned, Eigen::OuterStride<>>;

// The `rows` x `cols` contiguous factors at `data`.
ConstFactorsMap FactorsMap(const float* data, Eigen::Index rows,
                           Eigen::Index cols);

// Columns [offset, offset + width) of the `rows` x `dimension` contiguous
// factors at `data`.
ConstFactorsMap FactorColumns(const float* data, Eigen::Index rows,
                              Eigen::Index dimension, Eigen::Index offset,
                              Eigen::Index width);
// A d x d matrix held elsewhere (symmetric, so the storage order is moot).
using ConstGramMap = Eigen::Map<const Eigen::MatrixXf>;

// Y^T Y for the rows of `factors` (d x d).
Eigen::MatrixXf Gram(const ConstFactorsMap& factors);

// A row's L2 penalty lambda_r = regularization * C_r^exponent, where C_r =
// other_side_size + alpha * total_strength is the row's total confidence:
// the frequency-scaled regularization of Rendle, Krichene, Zhang & Koren
// 2021, "Revisiting the Performance of iALS on Item Recommendation
// Benchmarks". Exponent 0 gives the plain constant `regularization`.
float IalsRowRegularization(float regularization, float exponent,
                            int64_t other_side_size, float alpha,
                            double total_strength);

class IalsRowSolver {
 public:
  // `gram` is Gram(fixed); the memory of both must outlive the solver.
  // `alpha` > 0 scales strengths into confidences.
  IalsRowSolver(ConstGramMap gram, ConstFactorsMap fixed, float alpha);

  // Writes the row's exact solution, d values, to `out`. `indices` are rows
  // of `fixed` (each at most once) with strengths > 0; `lambda` > 0 is the
  // row's L2 penalty. No interactions give zeros.
  void Solve(absl::Span<const int32_t> indices,
             absl::Span<const float> strengths, float lambda, float* out);

  // As Solve, but moves the d values at `x` (the starting vector, e.g. the
  // previous epoch's) by `steps` >= 1 conjugate-gradient steps towards the
  // solution; d steps reach it up to rounding. No interactions give zeros.
  void Refine(absl::Span<const int32_t> indices,
              absl::Span<const float> strengths, float lambda, int steps,
              float* x);

 private:
  // Fills gathered_ (the rows of `indices`), extra_ (alpha * strengths) and
  // b_ (the right-hand side).
  void Gather(absl::Span<const int32_t> indices,
              absl::Span<const float> strengths);
  // The system's matrix times v.
  Eigen::VectorXf Apply(const Eigen::VectorXf& v, float lambda) const;

  const ConstGramMap gram_;
  const ConstFactorsMap fixed_;
  const float alpha_;
  // Row-major so that gathering copies whole contiguous rows: the gather,
  // not the arithmetic, bounds a trainer's epoch.
  RowMajorFactors gathered_;
  Eigen::VectorXf extra_;
  Eigen::VectorXf b_;
  Eigen::VectorXf x_;
};

}  // namespace recommender

#endif  // RECOMMENDER_FACTORIZATION_IALS_ROW_SOLVER_H_
