// iALS training benchmarks: one epoch of TrainIals on a synthetic
// interaction matrix with 1 and 2 threads, its FLOP count, and Eigen's
// single-thread float matrix-multiply rate measured in the same run, so that
// an epoch can be compared with its FLOP count / GEMM rate.
//
//   bazel run //benchmarks:ials_benchmark
//   bazel run //benchmarks:ials_benchmark -- --scale=smoke
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "Eigen/Core"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "training/ials/ials.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {
namespace {

// Customers x items with `per_row` interactions per customer on average,
// items drawn Zipf-like (popular items get most of them), values 1..10.
const InteractionMatrix& GetMatrix(int32_t rows, int32_t columns,
                                   int32_t per_row) {
  static auto* cache =
      new std::map<std::tuple<int32_t, int32_t, int32_t>, InteractionMatrix>();
  auto it = cache->find({rows, columns, per_row});
  if (it != cache->end()) return it->second;
  std::mt19937_64 rng(7);
  std::vector<double> cumulative(columns);
  double total = 0;
  for (int32_t c = 0; c < columns; ++c) {
    total += 1.0 / std::pow(c + 1.0, 0.8);
    cumulative[c] = total;
  }
  std::vector<Interaction> entries;
  entries.reserve(static_cast<size_t>(rows) * per_row);
  std::poisson_distribution<int> count(per_row);
  std::uniform_real_distribution<double> uniform(0, total);
  for (int32_t r = 0; r < rows; ++r) {
    const int n = count(rng);
    for (int k = 0; k < n; ++k) {
      const int32_t c = static_cast<int32_t>(
          std::lower_bound(cumulative.begin(), cumulative.end(), uniform(rng)) -
          cumulative.begin());
      entries.push_back({r, std::min(c, columns - 1),
                         static_cast<float>(1 + rng() % 10)});
    }
  }
  return cache
      ->emplace(std::make_tuple(rows, columns, per_row),
                InteractionMatrix::FromInteractions(rows, columns,
                                                    std::move(entries)))
      .first->second;
}

// Floating-point operations of one epoch of training/ials/ials.cc (both
// half-steps and the loss): per half-step a Gram matrix (2 F d^2 for F
// fixed rows), per non-zero a symmetric rank-1 update of the lower triangle
// (d (d + 1)), gathering and the right-hand side (3 d), per solved row a
// copy, Cholesky and two triangular solves (d^3 / 3 + 3 d^2).
double EpochFlops(const InteractionMatrix& m, int d) {
  const double rows = m.num_rows(), cols = m.num_columns();
  const double nnz = static_cast<double>(m.num_nonzeros());
  const double half_common = nnz * (d * (d + 1.0) + 3.0 * d);
  const double per_solve = d * d * d / 3.0 + 3.0 * d * d;
  const double solve = 2 * half_common + (rows + cols) * per_solve +
                       2.0 * (rows + cols) * d * d;
  const double loss = 2.0 * cols * d * d + rows * 2.0 * d * d + nnz * 2.0 * d;
  return solve + loss;
}

// The same for the conjugate-gradient solver: per row and step one product
// with the system, 2 d^2 (Gram) + 4 n_r d (observed pairs) + 6 d, the
// residual taking one more; gathering and the right-hand side as above.
double CgEpochFlops(const InteractionMatrix& m, int d, int steps) {
  const double rows = m.num_rows(), cols = m.num_columns();
  const double nnz = static_cast<double>(m.num_nonzeros());
  const double products = steps + 1.0;
  const double solve = 2.0 * (rows + cols) * d * d +          // Gram matrices
                       products * (rows + cols) * (2.0 * d * d + 6.0 * d) +
                       products * 2 * nnz * 4.0 * d + 2 * nnz * 3.0 * d;
  const double loss = 2.0 * cols * d * d + rows * 2.0 * d * d + nnz * 2.0 * d;
  return solve + loss;
}

// One epoch. range: customers, items, interactions per customer, factors,
// threads, solver (0: Cholesky, 1: conjugate gradient with 3 steps).
void BM_IalsEpoch(benchmark::State& state) {
  const InteractionMatrix& matrix =
      GetMatrix(static_cast<int32_t>(state.range(0)),
                static_cast<int32_t>(state.range(1)),
                static_cast<int32_t>(state.range(2)));
  IalsOptions options;
  options.factors = static_cast<int32_t>(state.range(3));
  options.threads = static_cast<int32_t>(state.range(4));
  options.epochs = 1;
  options.solver = state.range(5) == 0 ? IalsSolver::kCholesky
                                       : IalsSolver::kConjugateGradient;
  state.SetLabel(std::string(IalsSolverName(options.solver)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(TrainIals(matrix, options));
  }
  const double flops =
      options.solver == IalsSolver::kCholesky
          ? EpochFlops(matrix, options.factors)
          : CgEpochFlops(matrix, options.factors, options.cg_steps);
  state.counters["nnz"] = static_cast<double>(matrix.num_nonzeros());
  state.counters["GFLOP"] = flops / 1e9;
  state.counters["GFLOPS"] = benchmark::Counter(
      flops * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

// Eigen's float GEMM, n x n times n x n on one thread: the rate an ideal
// epoch would run at.
void BM_EigenGemm(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Eigen::setNbThreads(1);
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n);
  const Eigen::MatrixXf b = Eigen::MatrixXf::Random(n, n);
  Eigen::MatrixXf c(n, n);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOPS"] = benchmark::Counter(
      2.0 * n * n * n * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void Register(bool smoke) {
  benchmark::RegisterBenchmark("BM_EigenGemm", BM_EigenGemm)
      ->Arg(smoke ? 64 : 512)
      ->Unit(benchmark::kMillisecond);
  const int64_t rows = smoke ? 2000 : 200000;
  const int64_t cols = smoke ? 500 : 20000;
  for (int64_t d : {64}) {
    for (int64_t solver : {0, 1}) {
      for (int64_t threads : {1, 2}) {
        benchmark::RegisterBenchmark("BM_IalsEpoch", BM_IalsEpoch)
            ->Args({rows, cols, 50, d, threads, solver})
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond)
            ->Iterations(smoke ? 1 : 3);
      }
    }
  }
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(argc, argv, recommender::Register);
}
