#include "recommender/timing/special_functions.h"

#include <math.h>

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

constexpr int kMaxTerms = 200000;
// Beyond this z the power series converges too slowly; use 1 - z.
constexpr double kSeriesLimit = 0.9;
// Step of the extrapolation used where c - a - b is (nearly) an integer,
// a removable singularity of the 1 - z formula.
constexpr double kIntegerGap = 1e-4;

bool IsNonPositiveInteger(double x) { return x <= 0 && x == std::floor(x); }

// The power series sum_n (a)_n (b)_n / ((c)_n n!) z^n for |z| < 1.
absl::StatusOr<double> Series(double a, double b, double c, double z) {
  double term = 1;
  double sum = 1;
  for (int n = 0; n < kMaxTerms; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (term == 0) return sum;
    // The terms' ratio tends to z; once the terms shrink, the tail is at
    // most |term| * |z| / (1 - |z|).
    if (n > 2 && std::abs(term) <= 1e-17 * std::abs(sum) * (1 - std::abs(z))) {
      return sum;
    }
  }
  return absl::InternalError(absl::StrCat(
      "2F1(", a, ", ", b, "; ", c, "; ", z, "): series did not converge"));
}

// 1 / Gamma(x) as sign and log magnitude; `zero` is set at the poles.
struct ReciprocalGamma {
  double log_abs = 0;
  int sign = 1;
  bool zero = false;
};

ReciprocalGamma Reciprocal(double x) {
  ReciprocalGamma result;
  if (IsNonPositiveInteger(x)) {
    result.zero = true;
    return result;
  }
  result.log_abs = -LogAbsGamma(x, &result.sign);
  return result;
}

// A & S 15.3.6 for 0 < z < 1 when c - a - b is not an integer:
//   2F1(a,b;c;z) = G(c)G(c-a-b)/(G(c-a)G(c-b)) 2F1(a,b;a+b-c+1;1-z)
//     + (1-z)^(c-a-b) G(c)G(a+b-c)/(G(a)G(b)) 2F1(c-a,c-b;c-a-b+1;1-z).
absl::StatusOr<double> OneMinusZ(double a, double b, double c, double z) {
  const double w = 1 - z;
  const double d = c - a - b;
  int sign_c, sign_d, sign_md;
  const double log_gamma_c = LogAbsGamma(c, &sign_c);
  const double log_gamma_d = LogAbsGamma(d, &sign_d);
  const double log_gamma_md = LogAbsGamma(-d, &sign_md);
  double result = 0;
  {
    const ReciprocalGamma ra = Reciprocal(c - a);
    const ReciprocalGamma rb = Reciprocal(c - b);
    if (!ra.zero && !rb.zero) {
      absl::StatusOr<double> f = Series(a, b, 1 - d, w);
      if (!f.ok()) return f.status();
      result += sign_c * sign_d * ra.sign * rb.sign *
                std::exp(log_gamma_c + log_gamma_d + ra.log_abs + rb.log_abs) *
                *f;
    }
  }
  {
    const ReciprocalGamma ra = Reciprocal(a);
    const ReciprocalGamma rb = Reciprocal(b);
    if (!ra.zero && !rb.zero) {
      absl::StatusOr<double> f = Series(c - a, c - b, 1 + d, w);
      if (!f.ok()) return f.status();
      result += sign_c * sign_md * ra.sign * rb.sign *
                std::exp(log_gamma_c + log_gamma_md + ra.log_abs + rb.log_abs +
                         d * std::log(w)) *
                *f;
    }
  }
  return result;
}

// 0 <= z < 1.
absl::StatusOr<double> UnitInterval(double a, double b, double c, double z) {
  if (z == 0) return 1.0;
  if (z <= kSeriesLimit) {
    // Euler (A & S 15.3.3): 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z),
    // worth it when it shrinks the parameters (faster, no huge terms).
    if (std::abs(c - a) + std::abs(c - b) < std::abs(a) + std::abs(b)) {
      absl::StatusOr<double> f = Series(c - a, c - b, c, z);
      if (!f.ok()) return f.status();
      return std::pow(1 - z, c - a - b) * *f;
    }
    return Series(a, b, c, z);
  }
  const double d = c - a - b;
  if (std::abs(d - std::round(d)) < kIntegerGap / 2) {
    // The function is smooth in b: Richardson-extrapolate the symmetric
    // means at b +- h and b +- 2h (error O(h^4)), all of which are at least
    // h / 2 away from the integer.
    double means[2];
    for (int k = 0; k < 2; ++k) {
      const double h = (k + 1) * kIntegerGap;
      absl::StatusOr<double> above = OneMinusZ(a, b + h, c, z);
      if (!above.ok()) return above.status();
      absl::StatusOr<double> below = OneMinusZ(a, b - h, c, z);
      if (!below.ok()) return below.status();
      means[k] = 0.5 * (*above + *below);
    }
    return (4 * means[0] - means[1]) / 3;
  }
  return OneMinusZ(a, b, c, z);
}

}  // namespace

double LogAbsGamma(double x, int* sign) { return ::lgamma_r(x, sign); }

double LogGamma(double x) {
  int sign;
  return LogAbsGamma(x, &sign);
}

double LogSumExp(double a, double b) {
  const double high = std::max(a, b);
  if (high == -INFINITY) return high;
  return high + std::log(std::exp(a - high) + std::exp(b - high));
}

double LogBeta(double a, double b) {
  return LogGamma(a) + LogGamma(b) - LogGamma(a + b);
}

absl::StatusOr<double> Hypergeometric2F1(double a, double b, double c,
                                         double z) {
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c) ||
      !std::isfinite(z)) {
    return absl::InvalidArgumentError("2F1: arguments must be finite");
  }
  if (z >= 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("2F1: z must be below 1, got ", z));
  }
  if (IsNonPositiveInteger(c)) {
    return absl::InvalidArgumentError(
        absl::StrCat("2F1: c must not be a non-positive integer, got ", c));
  }
  // A terminating series (a or b a non-positive integer) is a polynomial.
  if (IsNonPositiveInteger(a) || IsNonPositiveInteger(b)) {
    if (std::abs(z) < 1) return Series(a, b, c, z);
  }
  if (z < 0) {
    // Pfaff (A & S 15.3.4): 2F1(a,b;c;z) = (1-z)^-a 2F1(a,c-b;c;z/(z-1)).
    const double w = z / (z - 1);
    absl::StatusOr<double> f = UnitInterval(a, c - b, c, w);
    if (!f.ok()) return f.status();
    return std::pow(1 - z, -a) * *f;
  }
  return UnitInterval(a, b, c, z);
}

}  // namespace recommender
