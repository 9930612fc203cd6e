#include "training/btyd/btyd_fitter.h"

#include <cmath>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "training/btyd/nelder_mead.h"

namespace recommender {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

absl::Status CheckLearnable(absl::Span<const CustomerRfm> customers) {
  if (customers.empty()) {
    return absl::FailedPreconditionError("no customers to fit");
  }
  for (const CustomerRfm& c : customers) {
    if (c.frequency > 0) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      "no customer bought twice: repeat-buying models cannot be fitted");
}

absl::Status CheckConverged(const NelderMeadResult& result,
                            absl::string_view model) {
  if (result.converged && std::isfinite(result.value)) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      model, ": maximum-likelihood search did not converge after ",
      result.evaluations, " evaluations"));
}

Eigen::VectorXd Zeros(int n) { return Eigen::VectorXd::Zero(n); }

}  // namespace

absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const CustomerRfm> customers) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  auto parameters = [](const Eigen::VectorXd& v) {
    return BgNbdParameters{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]),
                           std::exp(v[3])};
  };
  auto negative_log_likelihood = [&](const Eigen::VectorXd& v) {
    const BgNbdParameters p = parameters(v);
    if (!IsValid(p)) return kInfinity;
    double sum = 0;
    for (const CustomerRfm& c : customers) sum += BgNbdLogLikelihood(p, c);
    return -sum;
  };
  const NelderMeadResult result =
      MinimizeNelderMead(negative_log_likelihood, Zeros(4));
  if (absl::Status s = CheckConverged(result, "BG/NBD"); !s.ok()) return s;
  return BgNbdFit{parameters(result.minimum), -result.value,
                  result.evaluations};
}

absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  auto parameters = [](const Eigen::VectorXd& v) {
    return ParetoNbdParameters{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]),
                               std::exp(v[3])};
  };
  auto negative_log_likelihood = [&](const Eigen::VectorXd& v) {
    const ParetoNbdParameters p = parameters(v);
    if (!IsValid(p)) return kInfinity;
    double sum = 0;
    for (const CustomerRfm& c : customers) {
      absl::StatusOr<double> ll = ParetoNbdLogLikelihood(p, c);
      if (!ll.ok()) return kInfinity;  // Outside where 2F1 converges.
      sum += *ll;
    }
    return -sum;
  };
  const NelderMeadResult result =
      MinimizeNelderMead(negative_log_likelihood, Zeros(4));
  if (absl::Status s = CheckConverged(result, "Pareto/NBD"); !s.ok()) return s;
  return ParetoNbdFit{parameters(result.minimum), -result.value,
                      result.evaluations};
}

absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const CustomerRfm> customers) {
  std::vector<CustomerRfm> used;
  for (const CustomerRfm& c : customers) {
    if (c.frequency > 0 && c.mean_repeat_value > 0) used.push_back(c);
  }
  if (used.empty()) {
    return absl::FailedPreconditionError(
        "no repeat purchases with a positive value: the spend model cannot "
        "be fitted");
  }
  auto parameters = [](const Eigen::VectorXd& v) {
    return GammaGammaParameters{std::exp(v[0]), std::exp(v[1]),
                                std::exp(v[2])};
  };
  auto negative_log_likelihood = [&](const Eigen::VectorXd& v) {
    const GammaGammaParameters p = parameters(v);
    if (!IsValid(p)) return kInfinity;
    double sum = 0;
    for (const CustomerRfm& c : used) {
      sum += GammaGammaLogLikelihood(p, c.frequency, c.mean_repeat_value);
    }
    return -sum;
  };
  const NelderMeadResult result =
      MinimizeNelderMead(negative_log_likelihood, Zeros(3));
  if (absl::Status s = CheckConverged(result, "Gamma-Gamma"); !s.ok()) {
    return s;
  }
  return GammaGammaFit{parameters(result.minimum), -result.value,
                       static_cast<int>(used.size()), result.evaluations};
}

}  // namespace recommender
