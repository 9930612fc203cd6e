// SeededRandom: a small random source whose draws depend only on the seed
// (not on the standard library's distribution implementations), so that
// generated data and initial factors are the same on every machine.
//
// Not thread-safe; use one per thread, seeded from (seed, thread index).
#ifndef TRAINING_INTERNAL_SEEDED_RANDOM_H_
#define TRAINING_INTERNAL_SEEDED_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace recommender {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double Uniform() {
    return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
  }
  // Uniform integer in [0, n).
  int64_t UniformInt(int64_t n) {
    return static_cast<int64_t>(Uniform() * static_cast<double>(n));
  }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller).
  double Normal() {
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double LogNormal(double mu, double sigma) {
    return std::exp(mu + sigma * Normal());
  }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
  // Poisson by inversion; fine for the small means used here.
  int Poisson(double mean) {
    const double limit = std::exp(-mean);
    double product = Uniform();
    int count = 0;
    while (product > limit) {
      product *= Uniform();
      ++count;
    }
    return count;
  }
  // Index drawn with probability proportional to `weights` (not all zero).
  int Categorical(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double target = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      target -= weights[i];
      if (target < 0) return static_cast<int>(i);
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace recommender

#endif  // TRAINING_INTERNAL_SEEDED_RANDOM_H_
