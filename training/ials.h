// Implicit-feedback matrix factorization by alternating least squares
// (Hu, Koren & Volinsky 2008, "Collaborative Filtering for Implicit Feedback
// Datasets"). Every (customer, item) pair is a preference p = 1 if the
// customer interacted with the item, else 0, weighted by a confidence
// c = 1 + alpha * strength; the factors minimise
//   sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + lambda (|X|^2 + |Y|^2).
// Each half-step solves every row exactly (Cholesky), using the
// Y^T Y + Y_u^T (C_u - I) Y_u decomposition so that unobserved pairs cost
// nothing per row.
//
// Deterministic for a given seed, whatever the thread count.
#ifndef TRAINING_IALS_H_
#define TRAINING_IALS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "recommender/factorization/ials_row_solver.h"
#include "training/interaction_matrix.h"

namespace recommender {

// One factor vector per row, contiguous.
using FactorMatrix = RowMajorFactors;

struct IalsOptions {
  int32_t factors = 64;
  int32_t epochs = 15;
  // lambda: L2 penalty on every factor vector.
  float regularization = 0.1f;
  // Confidence c = 1 + alpha * strength.
  float alpha = 1.0f;
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

// Trains on `matrix` (rows: customers, columns: items). `on_epoch`, if set,
// is called after each epoch with its 1-based number and loss.
absl::StatusOr<IalsModel> TrainIals(
    const InteractionMatrix& matrix, const IalsOptions& options,
    const std::function<void(int epoch, double loss)>& on_epoch = {});

// The objective for the given factors.
double IalsLoss(const InteractionMatrix& matrix, const FactorMatrix& users,
                const FactorMatrix& items, const IalsOptions& options);

}  // namespace recommender

#endif  // TRAINING_IALS_H_
