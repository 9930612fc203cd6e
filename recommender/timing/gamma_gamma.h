// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee
// 2005b, "RFM and CLV: using iso-value curves for customer base analysis",
// Journal of Marketing Research 42(4), and Fader & Hardie's note "The
// Gamma-Gamma model of monetary value"): a customer's transaction values
// are Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers, independent
// of how often they buy.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_TIMING_GAMMA_GAMMA_H_
#define RECOMMENDER_TIMING_GAMMA_GAMMA_H_

namespace recommender {

struct GammaGammaParameters {
  double p = 0;
  double q = 0;
  double gamma = 0;
};

// True if every parameter is finite and positive.
bool IsValid(const GammaGammaParameters& parameters);

// log f(z-bar | p, q, gamma, x) for a customer with x >= 1 repeat
// transactions of mean value `mean_value` > 0.
double GammaGammaLogLikelihood(const GammaGammaParameters& parameters,
                               double x, double mean_value);

// The part of that log f that depends on the customer through x only (the
// log-gamma terms), so that a fit computes it once per distinct x, and the
// log f given it.
double GammaGammaFrequencyTerm(const GammaGammaParameters& parameters,
                               double x);
double GammaGammaLogLikelihood(const GammaGammaParameters& parameters,
                               double frequency_term, double x,
                               double mean_value);

// E[Z | p, q, gamma, z-bar, x]: the expected value of the customer's future
// transactions. For x = 0 the population mean p gamma / (q - 1). Infinite
// when q <= 1 (the population mean does not exist).
double GammaGammaExpectedValue(const GammaGammaParameters& parameters,
                               double x, double mean_value);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_GAMMA_GAMMA_H_
