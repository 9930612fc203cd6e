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

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double NormalQuantile(double p) {
  if (std::isnan(p) || p < 0 || p > 1) return NAN;
  if (p == 0) return -INFINITY;
  if (p == 1) return INFINITY;
  // Acklam's rational approximations, relative error below 1.2e-9.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow || p > 1 - kLow) {
    const double q = std::sqrt(-2 * std::log(p < kLow ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - kLow) x = -x;
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
        q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  // One Halley step on Phi(x) - p.
  const double e = NormalCdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
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
