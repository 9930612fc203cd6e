// One row of implicit-feedback alternating least squares (Hu, Koren &
// Volinsky 2008, "Collaborative Filtering for Implicit Feedback Datasets"):
// given fixed factors Y on the other side, the row's vector x minimises
//   sum_i c_i (p_i - x . y_i)^2 + lambda |x|^2,  c_i = 1 + alpha * s_i,
// with p_i = 1 for the interacted items i (strength s_i) and 0 elsewhere.
// The closed form x = (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I)^-1 Y_u^T C_u 1
// costs O(n_u d^2 + d^3) per row once Y^T Y is known: the exact (Cholesky)
// solve of the trainer's half-step (training/ials.h), used by the server
// to fold in a customer's new events against a snapshot's item factors
// without retraining.
//
// Thread-safety: Gram is pure; an IalsRowSolver holds scratch space, so use
// one per thread.
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
using ConstFactorsMap = Eigen::Map<const RowMajorFactors>;
// A d x d matrix held elsewhere (symmetric, so the storage order is moot).
using ConstGramMap = Eigen::Map<const Eigen::MatrixXf>;

// Y^T Y for the rows of `factors` (d x d).
Eigen::MatrixXf Gram(const ConstFactorsMap& factors);

class IalsRowSolver {
 public:
  // `gram` is Gram(fixed); the memory of both must outlive the solver.
  // `alpha` > 0 scales strengths into confidences.
  IalsRowSolver(ConstGramMap gram, ConstFactorsMap fixed, float alpha);

  // Writes the row's d values to `out`. `indices` are rows of `fixed`
  // (each at most once) with strengths > 0; `lambda` > 0 is the row's L2
  // penalty. No interactions give zeros.
  void Solve(absl::Span<const int32_t> indices,
             absl::Span<const float> strengths, float lambda, float* out);

 private:
  const ConstGramMap gram_;
  const ConstFactorsMap fixed_;
  const float alpha_;
  Eigen::MatrixXf a_;
  Eigen::VectorXf b_;
  Eigen::MatrixXf gathered_;
};

}  // namespace recommender

#endif  // RECOMMENDER_FACTORIZATION_IALS_ROW_SOLVER_H_
