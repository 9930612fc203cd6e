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
  // Converged when the simplex's function values differ by less than this
  // times max(1, |best value|) (relative, since a sum over a million
  // customers cannot be resolved to an absolute 1e-10) and its vertices by
  // less than `parameter_tolerance` in every axis.
  double function_tolerance = 1e-10;
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
