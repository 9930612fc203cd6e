// Maximum-likelihood fits of the customer-level timing models to a set of
// customer summaries: BG/NBD (Fader, Hardie & Lee 2005), Pareto/NBD (in
// the form of Fader & Hardie's 2005 note) and the Gamma-Gamma spend model
// (Fader, Hardie & Lee 2005b). Parameters are searched in log space (so
// they stay positive) with Nelder-Mead.
//
// Thread-safe: pure functions.
#ifndef TRAINING_BTYD_BTYD_FITTER_H_
#define TRAINING_BTYD_BTYD_FITTER_H_

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "recommender/timing/bg_nbd.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/gamma_gamma.h"
#include "recommender/timing/pareto_nbd.h"

namespace recommender {

struct BgNbdFit {
  BgNbdParameters parameters;
  // Summed over the customers.
  double log_likelihood = 0;
  int evaluations = 0;
};

struct ParetoNbdFit {
  ParetoNbdParameters parameters;
  double log_likelihood = 0;
  int evaluations = 0;
};

struct GammaGammaFit {
  GammaGammaParameters parameters;
  double log_likelihood = 0;
  // Customers with at least one repeat transaction of positive value: the
  // only ones the spend model learns from.
  int customers_used = 0;
  int evaluations = 0;
};

// FailedPrecondition if there are no customers or no repeat purchases to
// learn from; Internal if the search does not converge.
absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const CustomerRfm> customers);
absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers);
absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const CustomerRfm> customers);

}  // namespace recommender

#endif  // TRAINING_BTYD_BTYD_FITTER_H_
