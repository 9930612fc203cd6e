#include "recommender/index/testing_vectors.h"

#include <cmath>
#include <random>
#include <vector>

namespace recommender {
namespace {

// Standard normal by Box-Muller from raw engine bits (portable).
class Normal {
 public:
  explicit Normal(uint64_t seed) : engine_(seed) {}
  float Next() {
    const double u1 = 1.0 - (engine_() >> 11) * (1.0 / 9007199254740992.0);
    const double u2 = (engine_() >> 11) * (1.0 / 9007199254740992.0);
    return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) *
                              std::cos(6.283185307179586 * u2));
  }
  uint64_t Bits() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

EmbeddingMatrix RandomVectors(int64_t rows, int32_t dimension, uint64_t seed) {
  Normal normal(seed);
  EmbeddingMatrix m;
  m.rows = rows;
  m.dimension = dimension;
  m.values.resize(static_cast<size_t>(rows) * dimension);
  for (float& v : m.values) v = normal.Next();
  return m;
}

EmbeddingMatrix ClusteredVectors(int64_t rows, int32_t dimension,
                                 int32_t clusters, uint64_t seed) {
  Normal normal(seed);
  std::vector<float> centres(static_cast<size_t>(clusters) * dimension);
  for (float& v : centres) v = normal.Next();
  EmbeddingMatrix m;
  m.rows = rows;
  m.dimension = dimension;
  m.values.resize(static_cast<size_t>(rows) * dimension);
  for (int64_t r = 0; r < rows; ++r) {
    const float* centre =
        centres.data() + (normal.Bits() % clusters) * dimension;
    const float scale = std::exp(0.3f * normal.Next());
    for (int32_t j = 0; j < dimension; ++j) {
      m.values[r * dimension + j] = scale * (centre[j] + 0.5f * normal.Next());
    }
  }
  return m;
}

}  // namespace recommender
