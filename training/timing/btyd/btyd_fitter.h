// Maximum-likelihood fits of the customer-level timing models to a set of
// customer summaries: BG/NBD (Fader, Hardie & Lee 2005), Pareto/NBD (in
// the form of Fader & Hardie's 2005 note) and the Gamma-Gamma spend model
// (Fader, Hardie & Lee 2005b). Parameters are searched in log space (so
// they stay positive) with Nelder-Mead.
//
// Customers with identical sufficient statistics ((x, t_x, T) for the
// repeat-buying models, (x, z-bar) for spend) are evaluated once and
// weighted by their count, which is exact; the sum over them runs on
// `threads` threads in a fixed block order, so results do not depend on the
// thread count.
//
// Thread-safe: pure functions.
#ifndef TRAINING_TIMING_BTYD_BTYD_FITTER_H_
#define TRAINING_TIMING_BTYD_BTYD_FITTER_H_

#include <cstdint>
#include <vector>

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

struct BtydFitOptions {
  // Threads evaluating the likelihood sum.
  int threads = 1;
};

// A uniform sample of `max_customers` of `customers` (in their order),
// drawn from `seed`; all of them if there are no more than that or
// `max_customers` <= 0. Bounds the time of a population fit on a large shop.
std::vector<CustomerRfm> SampleCustomers(
    absl::Span<const CustomerRfm> customers, int64_t max_customers,
    uint64_t seed);

// FailedPrecondition if there are no customers or no repeat purchases to
// learn from; Internal if the search does not converge.
absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const CustomerRfm> customers,
                                  const BtydFitOptions& options = {});
absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers,
    const BtydFitOptions& options = {});
absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const CustomerRfm> customers,
    const BtydFitOptions& options = {});

}  // namespace recommender

#endif  // TRAINING_TIMING_BTYD_BTYD_FITTER_H_
