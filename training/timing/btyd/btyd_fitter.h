// Maximum-likelihood fits of the customer-level timing models to a set of
// customer summaries: BG/NBD (Fader, Hardie & Lee 2005), Pareto/NBD (in
// the form of Fader & Hardie's 2005 note) and the Gamma-Gamma spend model
// (Fader, Hardie & Lee 2005b). Parameters are searched in log space (so
// they stay positive; BG/NBD's a and b as the logit of their mean and the
// log of their sum) with Nelder-Mead, within e^-20 .. e^20.
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

// Where a BG/NBD estimate lies at the edge of the parameter space, which
// says something about the data (docs/timing.md, "When the fit lands on a
// boundary").
enum class BgNbdBoundary {
  kNone,
  // a / (a + b) -> 0: no customer is seen to drop out — every silence is
  // explained by the spread of purchase rates alone. b is then not
  // determined (any b fits as well).
  kNoDropout,
  // a + b -> infinity: the data show no spread in the dropout chance;
  // every customer has the same, a / (a + b).
  kSameDropout,
};

// "none", "no_dropout", "same_dropout".
const char* BgNbdBoundaryName(BgNbdBoundary boundary);

// kNoDropout below a mean dropout chance of 1e-6, kSameDropout above a
// concentration a + b of 1e4 (the Beta's spread then below 1 % of its
// mean's for any mean above 1 %); kNone otherwise.
BgNbdBoundary ClassifyBgNbdBoundary(const BgNbdParameters& parameters);

struct BgNbdFit {
  BgNbdParameters parameters;
  // Summed over the customers.
  double log_likelihood = 0;
  int evaluations = 0;
  BgNbdBoundary boundary = BgNbdBoundary::kNone;
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
// The axis of ProfileBgNbd: a figure of the dropout Beta(a, b).
enum class BgNbdProfileAxis {
  kDropoutMean,           // a / (a + b), in (0, 1).
  kDropoutConcentration,  // a + b, > 0.
};

// The BG/NBD profile log-likelihood: for each of `values`, the best fit
// with the dropout Beta's mean or concentration held there and the other
// three figures searched. Tells a boundary estimate the data ask for (the
// profile rises all the way to the edge) from a search that stopped short
// of an interior maximum (it peaks inside). InvalidArgument for a value
// outside the axis' range; otherwise errors as FitBgNbd.
absl::StatusOr<std::vector<BgNbdFit>> ProfileBgNbd(
    absl::Span<const CustomerRfm> customers, BgNbdProfileAxis axis,
    absl::Span<const double> values, const BtydFitOptions& options = {});

absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers,
    const BtydFitOptions& options = {});
absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const CustomerRfm> customers,
    const BtydFitOptions& options = {});

}  // namespace recommender

#endif  // TRAINING_TIMING_BTYD_BTYD_FITTER_H_
