#include "training/timing/btyd/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace recommender {
namespace {

constexpr double kReflection = 1;
constexpr double kExpansion = 2;
constexpr double kContraction = 0.5;
constexpr double kShrink = 0.5;

class Minimizer {
 public:
  Minimizer(const std::function<double(const Eigen::VectorXd&)>& f,
            const NelderMeadOptions& options)
      : f_(f), options_(options) {}

  double Evaluate(const Eigen::VectorXd& x) {
    ++evaluations_;
    const double value = f_(x);
    return std::isnan(value) ? std::numeric_limits<double>::infinity()
                             : value;
  }

  // One run from `start`; true if it converged.
  bool Run(const Eigen::VectorXd& start) {
    const int n = static_cast<int>(start.size());
    vertices_.assign(n + 1, start);
    values_.assign(n + 1, 0);
    for (int i = 0; i < n; ++i) vertices_[i + 1][i] += options_.initial_step;
    for (int i = 0; i <= n; ++i) values_[i] = Evaluate(vertices_[i]);
    while (evaluations_ < options_.max_evaluations) {
      Order();
      if (Converged()) return true;
      Step();
    }
    Order();
    return false;
  }

  const Eigen::VectorXd& best() const { return vertices_[0]; }
  double best_value() const { return values_[0]; }
  int evaluations() const { return evaluations_; }

 private:
  void Order() {
    std::vector<int> order(values_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return values_[a] < values_[b]; });
    std::vector<Eigen::VectorXd> vertices;
    std::vector<double> values;
    for (int i : order) {
      vertices.push_back(vertices_[i]);
      values.push_back(values_[i]);
    }
    vertices_ = std::move(vertices);
    values_ = std::move(values);
  }

  // Converged when the simplex has collapsed to a point (see
  // NelderMeadOptions::parameter_tolerance).
  bool Converged() const {
    if (!std::isfinite(values_.back())) return false;
    for (size_t i = 1; i < vertices_.size(); ++i) {
      if ((vertices_[i] - vertices_[0]).cwiseAbs().maxCoeff() >
          options_.parameter_tolerance) {
        return false;
      }
    }
    return true;
  }

  // One reflect / expand / contract / shrink step on an ordered simplex.
  void Step() {
    const int n = static_cast<int>(vertices_.size()) - 1;
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(vertices_[0].size());
    for (int i = 0; i < n; ++i) centroid += vertices_[i];
    centroid /= n;
    const Eigen::VectorXd& worst = vertices_[n];
    const Eigen::VectorXd reflected =
        centroid + kReflection * (centroid - worst);
    const double reflected_value = Evaluate(reflected);
    if (reflected_value < values_[0]) {
      const Eigen::VectorXd expanded =
          centroid + kExpansion * (reflected - centroid);
      const double expanded_value = Evaluate(expanded);
      if (expanded_value < reflected_value) {
        Replace(n, expanded, expanded_value);
      } else {
        Replace(n, reflected, reflected_value);
      }
      return;
    }
    if (reflected_value < values_[n - 1]) {
      Replace(n, reflected, reflected_value);
      return;
    }
    const bool outside = reflected_value < values_[n];
    const Eigen::VectorXd contracted =
        outside ? Eigen::VectorXd(centroid + kContraction * (reflected - centroid))
                : Eigen::VectorXd(centroid + kContraction * (worst - centroid));
    const double contracted_value = Evaluate(contracted);
    if (contracted_value < (outside ? reflected_value : values_[n])) {
      Replace(n, contracted, contracted_value);
      return;
    }
    for (int i = 1; i <= n; ++i) {
      vertices_[i] = vertices_[0] + kShrink * (vertices_[i] - vertices_[0]);
      values_[i] = Evaluate(vertices_[i]);
    }
  }

  void Replace(int i, const Eigen::VectorXd& x, double value) {
    vertices_[i] = x;
    values_[i] = value;
  }

  const std::function<double(const Eigen::VectorXd&)>& f_;
  const NelderMeadOptions& options_;
  std::vector<Eigen::VectorXd> vertices_;
  std::vector<double> values_;
  int evaluations_ = 0;
};

}  // namespace

NelderMeadResult MinimizeNelderMead(
    const std::function<double(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& start, const NelderMeadOptions& options) {
  Minimizer minimizer(f, options);
  NelderMeadResult result;
  result.converged = minimizer.Run(start);
  for (int r = 0; r < options.restarts && result.converged; ++r) {
    const Eigen::VectorXd from = minimizer.best();
    result.converged = minimizer.Run(from);
  }
  result.minimum = minimizer.best();
  result.value = minimizer.best_value();
  result.evaluations = minimizer.evaluations();
  return result;
}

}  // namespace recommender
