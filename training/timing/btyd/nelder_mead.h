// Derivative-free minimization by the Nelder-Mead simplex method (Nelder &
// Mead 1965, with the standard coefficients of Lagarias et al. 1998), used
// to fit the purchase-timing models by maximum likelihood over
// log-parameters. After converging it restarts from the best point with a
// fresh simplex, which guards against the method's known false stops.
//
// Thread-safe: no shared state; `f` is called from the calling thread only.
#ifndef TRAINING_TIMING_BTYD_NELDER_MEAD_H_
#define TRAINING_TIMING_BTYD_NELDER_MEAD_H_

#include <functional>

#include "Eigen/Core"

namespace recommender {

struct NelderMeadOptions {
  // Initial simplex: the start plus this step along each axis.
  double initial_step = 0.5;
  // Converged when the simplex has collapsed: every vertex within this of
  // the best one in every axis. Its function values then agree up to the
  // function's rounding noise; there is no separate tolerance on them,
  // because that noise has no fixed size: a sum over a million customers
  // (|log L| ~ 1e7) cannot be resolved to 1e-10, and near the edge of a
  // model's parameter space (BG/NBD with a + b ~ 1e6: lgamma of huge
  // arguments, cancelling) even a sum over two thousand customers is noisy
  // at 1e-6. A simplex that has collapsed can make no more progress.
  double parameter_tolerance = 1e-7;
  int max_evaluations = 20000;
  // Fresh starts from the best point after a convergence.
  int restarts = 2;
};

struct NelderMeadResult {
  Eigen::VectorXd minimum;
  double value = 0;
  int evaluations = 0;
  // False if max_evaluations ran out first.
  bool converged = false;
};

// Minimizes `f` from `start`. `f` may return +inf or NaN for points outside
// its domain; they are treated as +inf.
NelderMeadResult MinimizeNelderMead(
    const std::function<double(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& start, const NelderMeadOptions& options = {});

}  // namespace recommender

#endif  // TRAINING_TIMING_BTYD_NELDER_MEAD_H_
