#include "training/ials/ials.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "recommender/factorization/ials_row_solver.h"
#include "training/internal/parallel_for.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

using Matrix = Eigen::MatrixXf;
using Vector = Eigen::VectorXf;

// Rows per block handed to a worker thread.
constexpr int64_t kBlock = 64;

enum class Side { kRows, kColumns };

struct Line {
  absl::Span<const int32_t> indices;
  absl::Span<const float> values;
};

Line LineOf(const InteractionMatrix& matrix, Side side, int32_t r) {
  if (side == Side::kRows) return {matrix.RowIndices(r), matrix.RowValues(r)};
  return {matrix.ColumnIndices(r), matrix.ColumnValues(r)};
}

// lambda_r for a line whose other side has `other_side_size` rows.
float LineRegularization(const Line& line, int64_t other_side_size,
                         const IalsOptions& options) {
  double strength = 0;
  if (options.regularization_exponent != 0) {
    for (float v : line.values) strength += v;
  }
  return IalsRowRegularization(options.regularization,
                               options.regularization_exponent,
                               other_side_size, options.alpha, strength);
}

// Solves every row of `out` given the fixed factors on the other side, each
// with the core's row solver (recommender/factorization/ials_row_solver.h).
void SolveSide(const InteractionMatrix& matrix, Side side,
               const FactorMatrix& fixed, const IalsOptions& options,
               FactorMatrix* out) {
  const int d = options.factors;
  const ConstFactorsMap fixed_map = FactorsMap(fixed.data(), fixed.rows(), d);
  const Matrix gram = Gram(fixed_map);
  const int64_t n = out->rows();
  const int64_t other = fixed.rows();
  ParallelFor(n, options.threads, kBlock, [&](int64_t begin, int64_t end) {
    IalsRowSolver solver(ConstGramMap(gram.data(), d, d), fixed_map,
                         options.alpha);
    for (int64_t r = begin; r < end; ++r) {
      const Line line = LineOf(matrix, side, static_cast<int32_t>(r));
      const float lambda = LineRegularization(line, other, options);
      float* x = out->row(r).data();
      if (options.solver == IalsSolver::kCholesky) {
        solver.Solve(line.indices, line.values, lambda, x);
      } else {
        solver.Refine(line.indices, line.values, lambda, options.cg_steps, x);
      }
    }
  });
}

// sum_r lambda_r |factors_r|^2 over one side.
double RegularizationTerm(const InteractionMatrix& matrix, Side side,
                          const FactorMatrix& factors, int64_t other,
                          const IalsOptions& options) {
  double total = 0;
  for (int64_t r = 0; r < factors.rows(); ++r) {
    const Line line = LineOf(matrix, side, static_cast<int32_t>(r));
    total += static_cast<double>(LineRegularization(line, other, options)) *
             factors.row(r).squaredNorm();
  }
  return total;
}

}  // namespace

absl::string_view IalsSolverName(IalsSolver solver) {
  return solver == IalsSolver::kCholesky ? "cholesky" : "cg";
}

absl::StatusOr<IalsSolver> ParseIalsSolver(absl::string_view text) {
  if (text == "cholesky") return IalsSolver::kCholesky;
  if (text == "cg") return IalsSolver::kConjugateGradient;
  return absl::InvalidArgumentError(
      absl::StrCat("solver: must be cg or cholesky, got \"", text, "\""));
}

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
  if (!(options.regularization_exponent >= 0 &&
        options.regularization_exponent <= 2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("regularization_exponent: must be in 0..2, got ",
                     options.regularization_exponent));
  }
  if (!(options.alpha > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha: must be > 0, got ", options.alpha));
  }
  if (options.cg_steps < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("cg_steps: must be >= 1, got ", options.cg_steps));
  }
  if (!(options.init_stddev > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("init_stddev: must be > 0, got ", options.init_stddev));
  }
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads: must be >= 1, got ", options.threads));
  }
  return absl::OkStatus();
}

IalsModel ConcatenateIalsModels(absl::Span<const IalsModel> members) {
  IalsModel joined;
  if (members.empty()) return joined;
  Eigen::Index width = 0;
  for (const IalsModel& member : members) width += member.user_factors.cols();
  joined.user_factors.resize(members[0].user_factors.rows(), width);
  joined.item_factors.resize(members[0].item_factors.rows(), width);
  Eigen::Index offset = 0;
  for (const IalsModel& member : members) {
    const Eigen::Index d = member.user_factors.cols();
    joined.user_factors.middleCols(offset, d) = member.user_factors;
    joined.item_factors.middleCols(offset, d) = member.item_factors;
    offset += d;
  }
  return joined;
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
  total += RegularizationTerm(matrix, Side::kRows, users, items.rows(), options);
  total +=
      RegularizationTerm(matrix, Side::kColumns, items, users.rows(), options);
  return total;
}

absl::StatusOr<IalsModel> TrainIals(const InteractionMatrix& matrix,
                                    const IalsOptions& options,
                                    const IalsEpochCallback& on_epoch) {
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
    if (on_epoch) on_epoch(epoch, loss, model);
  }
  return model;
}

}  // namespace recommender
