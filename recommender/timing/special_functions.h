// Special functions for the purchase-timing models: log-gamma, log-beta and
// the Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and
// real z < 1, as needed by the Pareto/NBD likelihood (Fader & Hardie 2005,
// "A note on deriving the Pareto/NBD model and related expressions") and the
// BG/NBD conditional expectation (Fader, Hardie & Lee 2005).
//
// Method (Abramowitz & Stegun 15.3.3-15.3.6): for 0 <= z <= 0.9 the power
// series, after the Euler transformation when it makes the parameters
// smaller; for z < 0 the Pfaff transformation to z / (z - 1) in [0, 1);
// for 0.9 < z < 1 the linear transformation to 1 - z, where a near-integer
// c - a - b (a removable singularity of that formula) is handled by
// Richardson extrapolation from neighbouring b.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_SPECIAL_FUNCTIONS_H_
#define RECOMMENDER_TIMING_SPECIAL_FUNCTIONS_H_

#include "absl/status/statusor.h"

namespace recommender {

// 2F1(a, b; c; z), relative accuracy about 1e-10 or better in the tested
// range. InvalidArgument for z >= 1, non-finite arguments, or c a
// non-positive integer; Internal if a series fails to converge (parameters
// beyond about 1e4 in size).
absl::StatusOr<double> Hypergeometric2F1(double a, double b, double c,
                                         double z);

// log|Gamma(x)| and the sign of Gamma(x) (thread-safe lgamma).
double LogAbsGamma(double x, int* sign);

// log Gamma(x) for x > 0.
double LogGamma(double x);

// log(exp(a) + exp(b)) without overflow; -inf if both are -inf.
double LogSumExp(double a, double b);

// log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), a, b > 0.
double LogBeta(double a, double b);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_SPECIAL_FUNCTIONS_H_
