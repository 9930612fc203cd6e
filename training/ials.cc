#include "training/ials.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "recommender/factorization/ials_row_solver.h"
#include "training/parallel_for.h"
#include "training/seeded_random.h"

namespace recommender {
namespace {

using Matrix = Eigen::MatrixXf;
using Vector = Eigen::VectorXf;

// Rows per block handed to a worker thread.
constexpr int64_t kBlock = 64;

enum class Side { kRows, kColumns };

// Solves every row of `out` given the fixed factors on the other side.
void SolveSide(const InteractionMatrix& matrix, Side side,
               const FactorMatrix& fixed, const IalsOptions& options,
               FactorMatrix* out) {
  const ConstFactorsMap fixed_map(fixed.data(), fixed.rows(), fixed.cols());
  const Matrix gram = RegularizedGram(fixed_map, options.regularization);
  const int64_t n = side == Side::kRows ? matrix.num_rows() : matrix.num_columns();
  ParallelFor(n, options.threads, kBlock, [&](int64_t begin, int64_t end) {
    IalsRowSolver solver(ConstGramMap(gram.data(), gram.rows(), gram.cols()),
                         fixed_map, options.alpha);
    for (int64_t r = begin; r < end; ++r) {
      const auto row = static_cast<int32_t>(r);
      solver.Solve(side == Side::kRows ? matrix.RowIndices(row)
                                       : matrix.ColumnIndices(row),
                   side == Side::kRows ? matrix.RowValues(row)
                                       : matrix.ColumnValues(row),
                   out->row(r).data());
    }
  });
}

}  // namespace

absl::Status ValidateIalsOptions(const IalsOptions& options) {
  if (options.factors < 1 || options.factors > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("factors: must be in 1..1024, got ", options.factors));
  }
  if (options.epochs < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("epochs: must be >= 1, got ", options.epochs));
  }
  if (!(options.regularization > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "regularization: must be > 0, got ", options.regularization));
  }
  if (!(options.alpha > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha: must be > 0, got ", options.alpha));
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: must be >= 1, got ", options.threads));
  }
  return absl::OkStatus();
}

double IalsLoss(const InteractionMatrix& matrix, const FactorMatrix& users,
                const FactorMatrix& items, const IalsOptions& options) {
  const Matrix gram = items.transpose() * items;
  std::vector<double> row_loss(matrix.num_rows(), 0.0);
  ParallelFor(matrix.num_rows(), options.threads, kBlock,
              [&](int64_t begin, int64_t end) {
                for (int64_t r = begin; r < end; ++r) {
                  const auto row = static_cast<int32_t>(r);
                  const Vector x = users.row(r).transpose();
                  // All pairs as if unobserved (c = 1, p = 0) ...
                  double loss = x.dot(gram * x);
                  // ... corrected for the observed ones.
                  const auto indices = matrix.RowIndices(row);
                  const auto values = matrix.RowValues(row);
                  for (size_t k = 0; k < indices.size(); ++k) {
                    const double s = x.dot(items.row(indices[k]).transpose());
                    const double c = 1.0 + options.alpha * values[k];
                    loss += c * (1.0 - s) * (1.0 - s) - s * s;
                  }
                  row_loss[r] = loss;
                }
              });
  double total = 0;
  for (double loss : row_loss) total += loss;
  total += options.regularization *
           (static_cast<double>(users.squaredNorm()) + items.squaredNorm());
  return total;
}

absl::StatusOr<IalsModel> TrainIals(
    const InteractionMatrix& matrix, const IalsOptions& options,
    const std::function<void(int epoch, double loss)>& on_epoch) {
  if (absl::Status valid = ValidateIalsOptions(options); !valid.ok()) {
    return valid;
  }
  IalsModel model;
  model.user_factors = FactorMatrix::Zero(matrix.num_rows(), options.factors);
  model.item_factors = FactorMatrix(matrix.num_columns(), options.factors);
  SeededRandom random(options.seed);
  const float scale = options.init_stddev / std::sqrt(options.factors);
  for (Eigen::Index i = 0; i < model.item_factors.size(); ++i) {
    model.item_factors.data()[i] = scale * static_cast<float>(random.Normal());
  }
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    SolveSide(matrix, Side::kRows, model.item_factors, options,
              &model.user_factors);
    SolveSide(matrix, Side::kColumns, model.user_factors, options,
              &model.item_factors);
    const double loss =
        IalsLoss(matrix, model.user_factors, model.item_factors, options);
    model.epoch_losses.push_back(loss);
    if (on_epoch) on_epoch(epoch, loss);
  }
  return model;
}

}  // namespace recommender
