#include "training/timing/btyd/btyd_fitter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "training/timing/btyd/nelder_mead.h"
#include "training/internal/parallel_for.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The search stays within e^-20 .. e^20 (2e-9 .. 5e8) for every parameter.
// Some data put the maximum at the edge of the parameter space — BG/NBD's
// a -> 0 when nobody is seen to drop out, a and b -> infinity together when
// every customer drops out alike — where the likelihood keeps creeping up
// along a ridge and an unbounded search never stops; bounded, it settles
// at the edge, which the fit then reports (BgNbdFit::boundary).
constexpr double kMaxAbsLogParameter = 20;

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

// Customers with the same sufficient statistics (the fields `key` returns)
// have the same likelihood term: one representative and how many there are.
struct CustomerGroup {
  CustomerRfm customer;
  double count = 0;
};

template <typename Key>
std::vector<CustomerGroup> GroupCustomers(
    absl::Span<const CustomerRfm> customers, Key key) {
  std::vector<CustomerRfm> sorted(customers.begin(), customers.end());
  std::sort(sorted.begin(), sorted.end(),
            [&](const CustomerRfm& a, const CustomerRfm& b) {
              return key(a) < key(b);
            });
  std::vector<CustomerGroup> groups;
  for (const CustomerRfm& c : sorted) {
    if (groups.empty() || key(groups.back().customer) != key(c)) {
      groups.push_back({c, 0});
    }
    groups.back().count += 1;
  }
  return groups;
}

// Groups per block of the parallel likelihood sum. Fixed, so that the
// partial sums (and the fitted parameters) do not depend on the threads.
constexpr int64_t kGroupsPerBlock = 2048;

// Maximizes the summed log-likelihood over log-parameters from `start`.
// `to_parameters` maps a log-parameter vector to the model's parameters;
// `make_log_likelihood(p)` makes a function giving one customer's term
// (nullopt outside its domain), called for one block's customers in their
// (sorted) order, so it may keep what customers with the same x share.
template <typename Parameters, typename ToParameters,
          typename MakeLogLikelihood>
absl::StatusOr<std::pair<Parameters, NelderMeadResult>> MaximizeLikelihood(
    const Eigen::VectorXd& start, absl::Span<const CustomerGroup> groups,
    const BtydFitOptions& options, absl::string_view model,
    ToParameters to_parameters, MakeLogLikelihood make_log_likelihood) {
  const int64_t num_groups = static_cast<int64_t>(groups.size());
  const int64_t num_blocks = (num_groups + kGroupsPerBlock - 1) / kGroupsPerBlock;
  std::vector<double> block_sums(num_blocks);
  auto negative_log_likelihood = [&](const Eigen::VectorXd& v) {
    if ((v.array().abs() > kMaxAbsLogParameter).any()) return kInfinity;
    const Parameters p = to_parameters(v);
    if (!IsValid(p)) return kInfinity;
    ParallelFor(num_blocks, options.threads, 1, [&](int64_t begin, int64_t end) {
      for (int64_t block = begin; block < end; ++block) {
        double sum = 0;
        auto log_likelihood = make_log_likelihood(p);
        const int64_t last =
            std::min(num_groups, (block + 1) * kGroupsPerBlock);
        for (int64_t g = block * kGroupsPerBlock; g < last; ++g) {
          const std::optional<double> term =
              log_likelihood(groups[g].customer);
          if (!term.has_value()) {
            sum = -kInfinity;
            break;
          }
          sum += groups[g].count * *term;
        }
        block_sums[block] = sum;
      }
    });
    double sum = 0;
    for (double s : block_sums) sum += s;
    return std::isnan(sum) ? kInfinity : -sum;
  };
  const NelderMeadResult result =
      MinimizeNelderMead(negative_log_likelihood, start);
  if (absl::Status s = CheckConverged(result, model); !s.ok()) return s;
  return std::make_pair(to_parameters(result.minimum), result);
}

auto TimingKey(const CustomerRfm& c) {
  return std::make_tuple(c.frequency, c.recency, c.age);
}

auto SpendKey(const CustomerRfm& c) {
  return std::make_tuple(c.frequency, c.mean_repeat_value);
}

// BG/NBD parameters from the search's axes (log r, log alpha, logit of the
// dropout Beta's mean a / (a + b), log of its concentration a + b). The
// mean is what the data determine well; along the concentration the
// likelihood may rise without end (see kMaxAbsLogParameter), and in these
// axes the search follows that ridge instead of crawling along a curved
// valley of (log a, log b).
BgNbdParameters BgNbdFromAxes(double log_r, double log_alpha,
                              double logit_mean, double log_concentration) {
  const double mean = 1 / (1 + std::exp(-logit_mean));
  const double concentration = std::exp(log_concentration);
  return BgNbdParameters{std::exp(log_r), std::exp(log_alpha),
                         concentration * mean, concentration * (1 - mean)};
}

auto BgNbdLogLikelihoodOf(const BgNbdParameters& p) {
  return [&p, x = -1.0, terms = BgNbdFrequencyTerms{}](
             const CustomerRfm& c) mutable -> std::optional<double> {
    if (c.frequency != x) {
      x = c.frequency;
      terms = BgNbdTermsForFrequency(p, x);
    }
    return BgNbdLogLikelihood(p, terms, c);
  };
}

}  // namespace

std::vector<CustomerRfm> SampleCustomers(
    absl::Span<const CustomerRfm> customers, int64_t max_customers,
    uint64_t seed) {
  const int64_t n = static_cast<int64_t>(customers.size());
  if (max_customers <= 0 || n <= max_customers) {
    return std::vector<CustomerRfm>(customers.begin(), customers.end());
  }
  // Partial Fisher-Yates shuffle of the indices, then back in input order.
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i) order[i] = i;
  SeededRandom random(seed);
  for (int64_t i = 0; i < max_customers; ++i) {
    std::swap(order[i], order[i + random.UniformInt(n - i)]);
  }
  order.resize(max_customers);
  std::sort(order.begin(), order.end());
  std::vector<CustomerRfm> sample;
  sample.reserve(max_customers);
  for (int64_t i : order) sample.push_back(customers[i]);
  return sample;
}

const char* BgNbdBoundaryName(BgNbdBoundary boundary) {
  switch (boundary) {
    case BgNbdBoundary::kNone:
      return "none";
    case BgNbdBoundary::kNoDropout:
      return "no_dropout";
    case BgNbdBoundary::kSameDropout:
      return "same_dropout";
  }
  return "none";
}

BgNbdBoundary ClassifyBgNbdBoundary(const BgNbdParameters& p) {
  if (p.a / (p.a + p.b) < 1e-6) return BgNbdBoundary::kNoDropout;
  if (p.a + p.b > 1e4) return BgNbdBoundary::kSameDropout;
  return BgNbdBoundary::kNone;
}

absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const CustomerRfm> customers,
                                  const BtydFitOptions& options) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  const std::vector<CustomerGroup> groups =
      GroupCustomers(customers, TimingKey);
  Eigen::VectorXd start = Eigen::VectorXd::Zero(4);
  start[3] = std::log(2.0);  // a = b = 1.
  auto fit = MaximizeLikelihood<BgNbdParameters>(
      start, groups, options, "BG/NBD",
      [](const Eigen::VectorXd& v) {
        return BgNbdFromAxes(v[0], v[1], v[2], v[3]);
      },
      [](const BgNbdParameters& p) { return BgNbdLogLikelihoodOf(p); });
  if (!fit.ok()) return fit.status();
  return BgNbdFit{fit->first, -fit->second.value, fit->second.evaluations,
                  ClassifyBgNbdBoundary(fit->first)};
}

absl::StatusOr<std::vector<BgNbdFit>> ProfileBgNbd(
    absl::Span<const CustomerRfm> customers, BgNbdProfileAxis axis,
    absl::Span<const double> values, const BtydFitOptions& options) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  const std::vector<CustomerGroup> groups =
      GroupCustomers(customers, TimingKey);
  std::vector<BgNbdFit> profile;
  // Each point starts where the full fit would.
  Eigen::VectorXd start = Eigen::VectorXd::Zero(3);
  for (double value : values) {
    const bool mean_axis = axis == BgNbdProfileAxis::kDropoutMean;
    if (!(value > 0) || (mean_axis && !(value < 1))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "BG/NBD profile: ", mean_axis ? "a dropout mean must be in (0, 1)"
                                        : "a concentration must be > 0",
          ", got ", value));
    }
    const double fixed =
        mean_axis ? std::log(value / (1 - value)) : std::log(value);
    start[2] = mean_axis ? std::log(2.0) : 0;
    auto fit = MaximizeLikelihood<BgNbdParameters>(
        start, groups, options, "BG/NBD profile",
        [&](const Eigen::VectorXd& v) {
          return mean_axis ? BgNbdFromAxes(v[0], v[1], fixed, v[2])
                           : BgNbdFromAxes(v[0], v[1], v[2], fixed);
        },
        [](const BgNbdParameters& p) { return BgNbdLogLikelihoodOf(p); });
    if (!fit.ok()) return fit.status();
    profile.push_back(BgNbdFit{fit->first, -fit->second.value,
                               fit->second.evaluations,
                               ClassifyBgNbdBoundary(fit->first)});
  }
  return profile;
}

absl::StatusOr<ParetoNbdFit> FitParetoNbd(
    absl::Span<const CustomerRfm> customers, const BtydFitOptions& options) {
  if (absl::Status s = CheckLearnable(customers); !s.ok()) return s;
  const std::vector<CustomerGroup> groups =
      GroupCustomers(customers, TimingKey);
  auto fit = MaximizeLikelihood<ParetoNbdParameters>(
      Eigen::VectorXd::Zero(4), groups, options, "Pareto/NBD",
      [](const Eigen::VectorXd& v) {
        return ParetoNbdParameters{std::exp(v[0]), std::exp(v[1]),
                                   std::exp(v[2]), std::exp(v[3])};
      },
      [](const ParetoNbdParameters& p) {
        return [&p](const CustomerRfm& c) -> std::optional<double> {
          absl::StatusOr<double> ll = ParetoNbdLogLikelihood(p, c);
          if (!ll.ok()) return std::nullopt;  // Where 2F1 does not converge.
          return *ll;
        };
      });
  if (!fit.ok()) return fit.status();
  return ParetoNbdFit{fit->first, -fit->second.value, fit->second.evaluations};
}

absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const CustomerRfm> customers, const BtydFitOptions& options) {
  std::vector<CustomerRfm> used;
  double total_spend = 0, total_orders = 0;
  for (const CustomerRfm& c : customers) {
    if (c.frequency > 0 && c.mean_repeat_value > 0) {
      used.push_back(c);
      total_spend += c.frequency * c.mean_repeat_value;
      total_orders += c.frequency;
    }
  }
  if (used.empty()) {
    return absl::FailedPreconditionError(
        "no repeat purchases with a positive value: the spend model cannot "
        "be fitted");
  }
  // Start where the population mean spend p gamma / (q - 1) matches the
  // data's (p = 1, q = 2): spend is in the shop's currency, which can be
  // thousands of units away from gamma = 1, and the search along the
  // likelihood's long (q, gamma) ridge is slow from far away.
  Eigen::VectorXd start(3);
  start << 0, std::log(2.0), std::log(total_spend / total_orders);
  const std::vector<CustomerGroup> groups = GroupCustomers(used, SpendKey);
  auto fit = MaximizeLikelihood<GammaGammaParameters>(
      start, groups, options, "Gamma-Gamma",
      [](const Eigen::VectorXd& v) {
        return GammaGammaParameters{std::exp(v[0]), std::exp(v[1]),
                                    std::exp(v[2])};
      },
      [](const GammaGammaParameters& p) {
        return [&p, x = -1.0, term = 0.0](
                   const CustomerRfm& c) mutable -> std::optional<double> {
          if (c.frequency != x) {
            x = c.frequency;
            term = GammaGammaFrequencyTerm(p, x);
          }
          return GammaGammaLogLikelihood(p, term, x, c.mean_repeat_value);
        };
      });
  if (!fit.ok()) return fit.status();
  return GammaGammaFit{fit->first, -fit->second.value,
                       static_cast<int>(used.size()), fit->second.evaluations};
}

}  // namespace recommender
