#include "recommender/timing/pareto_nbd.h"

#include <cmath>

#include "recommender/timing/special_functions.h"

namespace recommender {
namespace {

// Parts of the likelihood: L = exp(prefactor) (exp(log_alive) +
// exp(log_dropped)), where log_dropped is log(s / (r+s+x) A0).
struct LikelihoodParts {
  double prefactor = 0;
  double log_alive = 0;
  double log_dropped = 0;
};

// log of 2F1(r+s+x, b1; r+s+x+1; z(t)) / (m + t)^(r+s+x), the terms of A0.
absl::StatusOr<double> LogA0Term(const ParetoNbdParameters& p, double x,
                                 double t) {
  const double sum = p.r + p.s + x;
  double b1, m, z;
  if (p.alpha >= p.beta) {
    b1 = p.s + 1;
    m = p.alpha;
    z = (p.alpha - p.beta) / (p.alpha + t);
  } else {
    b1 = p.r + x;
    m = p.beta;
    z = (p.beta - p.alpha) / (p.beta + t);
  }
  absl::StatusOr<double> f = Hypergeometric2F1(sum, b1, sum + 1, z);
  if (!f.ok()) return f.status();
  return std::log(*f) - sum * std::log(m + t);
}

absl::StatusOr<LikelihoodParts> Parts(const ParetoNbdParameters& p,
                                      const CustomerRfm& c) {
  const double x = c.frequency;
  LikelihoodParts parts;
  parts.prefactor = LogGamma(p.r + x) - LogGamma(p.r) +
                    p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  parts.log_alive = -(p.r + x) * std::log(p.alpha + c.age) -
                    p.s * std::log(p.beta + c.age);
  absl::StatusOr<double> at_recency = LogA0Term(p, x, c.recency);
  if (!at_recency.ok()) return at_recency.status();
  absl::StatusOr<double> at_age = LogA0Term(p, x, c.age);
  if (!at_age.ok()) return at_age.status();
  // A0 = term(t_x) - term(T) >= 0; it is 0 when t_x = T.
  const double gap = *at_age - *at_recency;
  const double log_a0 =
      gap >= 0 ? -INFINITY : *at_recency + std::log(-std::expm1(gap));
  parts.log_dropped = std::log(p.s / (p.r + p.s + x)) + log_a0;
  return parts;
}

}  // namespace

bool IsValid(const ParetoNbdParameters& p) {
  for (double v : {p.r, p.alpha, p.s, p.beta}) {
    if (!std::isfinite(v) || v <= 0) return false;
  }
  return true;
}

absl::StatusOr<double> ParetoNbdLogLikelihood(const ParetoNbdParameters& p,
                                              const CustomerRfm& c) {
  absl::StatusOr<LikelihoodParts> parts = Parts(p, c);
  if (!parts.ok()) return parts.status();
  return parts->prefactor + LogSumExp(parts->log_alive, parts->log_dropped);
}

absl::StatusOr<double> ParetoNbdProbabilityAlive(const ParetoNbdParameters& p,
                                                 const CustomerRfm& c) {
  absl::StatusOr<LikelihoodParts> parts = Parts(p, c);
  if (!parts.ok()) return parts.status();
  return 1 / (1 + std::exp(parts->log_dropped - parts->log_alive));
}

absl::StatusOr<double> ParetoNbdExpectedPurchases(const ParetoNbdParameters& p,
                                                  const CustomerRfm& c,
                                                  double t) {
  if (t <= 0) return 0.0;
  absl::StatusOr<double> alive = ParetoNbdProbabilityAlive(p, c);
  if (!alive.ok()) return alive.status();
  const double x = c.frequency;
  const double horizon = std::log(p.beta + c.age + t) - std::log(p.beta + c.age);
  // (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1), which tends to `horizon`
  // as s tends to 1.
  const double shape = p.s - 1;
  const double integral = std::abs(shape) < 1e-9
                              ? horizon
                              : -std::expm1(-shape * horizon) / shape;
  return *alive * (p.r + x) * (p.beta + c.age) / (p.alpha + c.age) * integral;
}

}  // namespace recommender
