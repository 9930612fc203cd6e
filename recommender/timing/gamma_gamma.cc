#include "recommender/timing/gamma_gamma.h"

#include <cmath>

#include "recommender/timing/special_functions.h"

namespace recommender {

bool IsValid(const GammaGammaParameters& p) {
  for (double v : {p.p, p.q, p.gamma}) {
    if (!std::isfinite(v) || v <= 0) return false;
  }
  return true;
}

double GammaGammaFrequencyTerm(const GammaGammaParameters& p, double x) {
  const double px = p.p * x;
  return LogGamma(px + p.q) - LogGamma(px) - LogGamma(p.q) +
         p.q * std::log(p.gamma) + px * std::log(x);
}

double GammaGammaLogLikelihood(const GammaGammaParameters& p,
                               double frequency_term, double x,
                               double mean_value) {
  const double px = p.p * x;
  return frequency_term + (px - 1) * std::log(mean_value) -
         (px + p.q) * std::log(p.gamma + x * mean_value);
}

double GammaGammaLogLikelihood(const GammaGammaParameters& p, double x,
                               double mean_value) {
  return GammaGammaLogLikelihood(p, GammaGammaFrequencyTerm(p, x), x,
                                 mean_value);
}

double GammaGammaExpectedValue(const GammaGammaParameters& p, double x,
                               double mean_value) {
  const double denominator = p.p * x + p.q - 1;
  if (denominator <= 0) return INFINITY;
  return p.p * (p.gamma + x * mean_value) / denominator;
}

}  // namespace recommender
