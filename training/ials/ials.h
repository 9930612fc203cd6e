// Implicit-feedback matrix factorization by alternating least squares
// (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback
// Datasets"). Every (customer, item) pair is a preference p = 1 if the
// customer interacted with the item, else 0, weighted by a confidence
// c = 1 + alpha * strength; the factors minimise
//   sum_{u,i} c_ui (p_ui - x_u . y_i)^2
//     + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2,
// with lambda_r = regularization * (C_r)^regularization_exponent, where C_r
// is row r's total confidence (the other side's size + alpha * its summed
// strengths): the frequency-scaled regularization of Rendle, Krichene,
// Zhang & Koren 2021, "Revisiting the Performance of iALS on Item
// Recommendation Benchmarks" (exponent 0 is the plain constant lambda).
//
// Each half-step solves, for every row, the d x d system
//   (Y^T Y + Y_u^T (C_u - I) Y_u + lambda_u I) x_u = Y_u^T C_u p_u,
// so that unobserved pairs cost nothing per row, with the core's row solver
// (recommender/factorization/ials_row_solver.h, which the server's fold-in
// uses too). Two solvers:
//  - kConjugateGradient (default): a few conjugate-gradient steps warm-started
//    from the previous epoch's vector, never forming the system (Takacs,
//    Pilaszy & Tikk 2011); O(d^2 + n_u d) per step.
//  - kCholesky: the exact solution, O(n_u d^2 + d^3) per row; the reference
//    the conjugate-gradient solver is checked against.
//
// Deterministic for a given seed, whatever the thread count.
#ifndef TRAINING_IALS_IALS_H_
#define TRAINING_IALS_IALS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "recommender/factorization/ials_row_solver.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {

// One factor vector per row, contiguous.
using FactorMatrix = RowMajorFactors;

enum class IalsSolver { kCholesky, kConjugateGradient };

// "cholesky", "cg".
absl::string_view IalsSolverName(IalsSolver solver);
// Inverse of IalsSolverName; InvalidArgument naming the choices otherwise.
absl::StatusOr<IalsSolver> ParseIalsSolver(absl::string_view text);

struct IalsOptions {
  int32_t factors = 128;
  int32_t epochs = 15;
  // lambda: L2 penalty on every factor vector, scaled per row (see above).
  // The defaults of regularization and alpha are tuned with
  // //training/tuning:tune on the sample shop (docs/evaluation.md, "Tuning").
  float regularization = 15.0f;
  // nu in lambda_r = regularization * C_r^nu; 0 (plain) .. 1 (Rendle 2021).
  float regularization_exponent = 0.0f;
  // Confidence c = 1 + alpha * strength.
  float alpha = 2.0f;
  IalsSolver solver = IalsSolver::kConjugateGradient;
  // Conjugate-gradient steps per row and half-step (>= 1; `factors` steps
  // reach the exact solution up to rounding).
  int32_t cg_steps = 3;
  // Standard deviation of the initial item factors, divided by sqrt(factors).
  float init_stddev = 0.1f;
  int32_t threads = 2;
  uint64_t seed = 42;
};

struct IalsModel {
  FactorMatrix user_factors;  // num_rows x factors
  FactorMatrix item_factors;  // num_columns x factors
  // The objective above after each epoch.
  std::vector<double> epoch_losses;
};

// InvalidArgument naming the option if one is out of range.
absl::Status ValidateIalsOptions(const IalsOptions& options);

// Called after each epoch with its 1-based number, the objective and the
// model so far (epoch_losses filled up to this epoch).
using IalsEpochCallback =
    std::function<void(int epoch, double loss, const IalsModel& model)>;

// Trains on `matrix` (rows: customers, columns: items).
absl::StatusOr<IalsModel> TrainIals(const InteractionMatrix& matrix,
                                    const IalsOptions& options,
                                    const IalsEpochCallback& on_epoch = {});

// Several models of the same matrix served as one: the members' factor
// vectors side by side (first member first), so that a row's dot product
// with a column is the sum of the members' scores. Every member must have
// the same numbers of rows and columns; the epoch losses are left empty.
IalsModel ConcatenateIalsModels(absl::Span<const IalsModel> members);

// The objective for the given factors.
double IalsLoss(const InteractionMatrix& matrix, const FactorMatrix& users,
                const FactorMatrix& items, const IalsOptions& options);

}  // namespace recommender

#endif  // TRAINING_IALS_IALS_H_
