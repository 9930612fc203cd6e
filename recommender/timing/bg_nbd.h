// The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting
// your customers the easy way: an alternative to the Pareto/NBD model",
// Marketing Science 24(2)): while alive a customer buys as a Poisson
// process with rate lambda ~ Gamma(r, alpha); after each purchase they drop
// out with probability p ~ Beta(a, b).
//
// Everything here is a closed form of the paper for one customer's
// summary; fitting lives in training/timing/btyd/. Times are in the unit the
// parameters were fitted in.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_BG_NBD_H_
#define RECOMMENDER_TIMING_BG_NBD_H_

#include "absl/status/statusor.h"
#include "recommender/timing/customer_rfm.h"

namespace recommender {

struct BgNbdParameters {
  double r = 0;
  double alpha = 0;
  double a = 0;
  double b = 0;
};

// True if every parameter is finite and positive.
bool IsValid(const BgNbdParameters& parameters);

// log L(r, alpha, a, b | x, t_x, T), the paper's equation (6).
double BgNbdLogLikelihood(const BgNbdParameters& parameters,
                          const CustomerRfm& customer);

// The parts of log L that depend on the customer through x only (the
// log-gamma and log-beta terms), so that a fit over many customers computes
// them once per distinct x.
struct BgNbdFrequencyTerms {
  double common = 0;
  double log_beta_alive = 0;
  double log_beta_dropped = 0;
};
BgNbdFrequencyTerms BgNbdTermsForFrequency(const BgNbdParameters& parameters,
                                           double x);

// The same log L, given the terms of the customer's x.
double BgNbdLogLikelihood(const BgNbdParameters& parameters,
                          const BgNbdFrequencyTerms& terms,
                          const CustomerRfm& customer);

// P(alive at T | x, t_x, T); 1 for a customer without repeat purchases.
double BgNbdProbabilityAlive(const BgNbdParameters& parameters,
                             const CustomerRfm& customer);

// E[Y(t) | x, t_x, T]: expected purchases in (T, T + t], the paper's
// equation (10). Error only if the hypergeometric series fails.
absl::StatusOr<double> BgNbdExpectedPurchases(
    const BgNbdParameters& parameters, const CustomerRfm& customer, double t);

// P(at least one purchase in (T, T + t] | x, t_x, T): alive, and the
// gamma-posterior Poisson process fires within t.
double BgNbdProbabilityPurchaseWithin(const BgNbdParameters& parameters,
                                      const CustomerRfm& customer, double t);

// The time after T by which the next purchase has happened with
// probability `quantile` (in (0, 1)), given that the customer is alive.
double BgNbdTimeToNextPurchaseIfAlive(const BgNbdParameters& parameters,
                                      const CustomerRfm& customer,
                                      double quantile);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_BG_NBD_H_
