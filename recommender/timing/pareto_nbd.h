// The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo
// 1987), in the closed forms of Fader & Hardie (2005), "A note on deriving
// the Pareto/NBD model and related expressions": while alive a customer
// buys at Poisson rate lambda ~ Gamma(r, alpha) and stays alive for an
// exponential lifetime with rate mu ~ Gamma(s, beta).
//
// The likelihood needs the Gauss hypergeometric function (see
// special_functions.h); fitting lives in training/timing/btyd/.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_PARETO_NBD_H_
#define RECOMMENDER_TIMING_PARETO_NBD_H_

#include "absl/status/statusor.h"
#include "recommender/timing/customer_rfm.h"

namespace recommender {

struct ParetoNbdParameters {
  double r = 0;
  double alpha = 0;
  double s = 0;
  double beta = 0;
};

// True if every parameter is finite and positive.
bool IsValid(const ParetoNbdParameters& parameters);

// log L(r, alpha, s, beta | x, t_x, T) (the note's equation (22)).
// Internal if the hypergeometric series fails.
absl::StatusOr<double> ParetoNbdLogLikelihood(
    const ParetoNbdParameters& parameters, const CustomerRfm& customer);

// P(alive at T | x, t_x, T).
absl::StatusOr<double> ParetoNbdProbabilityAlive(
    const ParetoNbdParameters& parameters, const CustomerRfm& customer);

// E[Y(t) | x, t_x, T]: expected purchases in (T, T + t].
absl::StatusOr<double> ParetoNbdExpectedPurchases(
    const ParetoNbdParameters& parameters, const CustomerRfm& customer,
    double t);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_PARETO_NBD_H_
