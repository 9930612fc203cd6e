#include "training/btyd/btyd_fitter.h"

#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

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

// Maximizes the summed log-likelihood over log-parameters from log 1 = 0.
// `to_parameters` maps a log-parameter vector to the model's parameters;
// `log_likelihood` gives one customer's term (nullopt outside its domain).
template <typename Parameters, typename ToParameters, typename LogLikelihood>
absl::StatusOr<std::pair<Parameters, NelderMeadResult>> MaximizeLikelihood(
    int num_parameters, absl::Span<const CustomerRfm> customers,
    absl::string_view model, ToParameters to_parameters,
    LogLikelihood log_likelihood) {
  auto negative_log_likelihood = [&](const Eigen::VectorXd& v) {
    const Parameters p = to_parameters(v);
    if (!IsValid(p)) return kInfinity;
    double sum = 0;
    for (const CustomerRfm& c : customers) {
      const std::optional<double> term = log_likelihood(p, c);
      if (!term.has_value()) return kInfinity;
      sum += *term;
    }
    return -sum;
  };
  const NelderMeadResult result = MinimizeNelderMead(
      negative_log_likelihood, Eigen::VectorXd::Zero(num_parameters));
  if (absl::Status s = CheckConverged(result, model); !s.ok()) return s;
  return std::make_pair(to_parameters(result.minimum), result);
}

}  // namespace

absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const CustomerRfm> customers) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  auto fit = MaximizeLikelihood<BgNbdParameters>(
      4, customers, "BG/NBD",
      [](const Eigen::VectorXd& v) {
        return BgNbdParameters{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]),
                               std::exp(v[3])};
      },
      [](const BgNbdParameters& p,
         const CustomerRfm& c) -> std::optional<double> {
        return BgNbdLogLikelihood(p, c);
      });
  if (!fit.ok()) return fit.status();
  return BgNbdFit{fit->first, -fit->second.value, fit->second.evaluations};
}

absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  auto fit = MaximizeLikelihood<ParetoNbdParameters>(
      4, customers, "Pareto/NBD",
      [](const Eigen::VectorXd& v) {
        return ParetoNbdParameters{std::exp(v[0]), std::exp(v[1]),
                                   std::exp(v[2]), std::exp(v[3])};
      },
      [](const ParetoNbdParameters& p,
         const CustomerRfm& c) -> std::optional<double> {
        absl::StatusOr<double> ll = ParetoNbdLogLikelihood(p, c);
        if (!ll.ok()) return std::nullopt;  // Where 2F1 does not converge.
        return *ll;
      });
  if (!fit.ok()) return fit.status();
  return ParetoNbdFit{fit->first, -fit->second.value, fit->second.evaluations};
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
  auto fit = MaximizeLikelihood<GammaGammaParameters>(
      3, used, "Gamma-Gamma",
      [](const Eigen::VectorXd& v) {
        return GammaGammaParameters{std::exp(v[0]), std::exp(v[1]),
                                    std::exp(v[2])};
      },
      [](const GammaGammaParameters& p,
         const CustomerRfm& c) -> std::optional<double> {
        return GammaGammaLogLikelihood(p, c.frequency, c.mean_repeat_value);
      });
  if (!fit.ok()) return fit.status();
  return GammaGammaFit{fit->first, -fit->second.value,
                       static_cast<int>(used.size()), fit->second.evaluations};
}

}  // namespace recommender
