#include "training/internal/seeded_random.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// The C++ standard fixes the 10000th output of std::mt19937_64 seeded with
// 5489: 9981545732273789042. Uniform keeps its top 53 bits, so that draw is
// the same on every machine.
TEST(SeededRandomTest, DrawsAreFixedByTheStandardEngine) {
  SeededRandom random(5489);
  for (int i = 1; i < 10000; ++i) random.Uniform();
  EXPECT_EQ(random.Uniform(),
            static_cast<double>(9981545732273789042ull >> 11) /
                9007199254740992.0);
}

TEST(SeededRandomTest, SameSeedSameDrawsOtherSeedOtherDraws) {
  SeededRandom a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const double x = a.Uniform();
    EXPECT_EQ(x, b.Uniform());
    differs |= x != c.Uniform();
  }
  EXPECT_TRUE(differs);
}

TEST(SeededRandomTest, DrawsStayInTheirRanges) {
  SeededRandom random(1);
  for (int i = 0; i < 10000; ++i) {
    const double u = random.Uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    const int64_t k = random.UniformInt(7);
    EXPECT_GE(k, 0);
    EXPECT_LT(k, 7);
    EXPECT_GT(random.LogNormal(0, 1), 0.0);
    EXPECT_GE(random.Exponential(2), 0.0);
    EXPECT_GE(random.Poisson(3), 0);
  }
}

// Means over many draws, within several standard errors.
TEST(SeededRandomTest, MomentsOfTheDistributions) {
  SeededRandom random(7);
  constexpr int kDraws = 200000;
  double uniform = 0, normal = 0, normal_sq = 0, exponential = 0, poisson = 0;
  int heads = 0;
  for (int i = 0; i < kDraws; ++i) {
    uniform += random.Uniform();
    const double z = random.Normal();
    normal += z;
    normal_sq += z * z;
    exponential += random.Exponential(2.5);
    poisson += random.Poisson(3);
    heads += random.Bernoulli(0.3);
  }
  EXPECT_NEAR(uniform / kDraws, 0.5, 0.005);
  EXPECT_NEAR(normal / kDraws, 0.0, 0.01);
  EXPECT_NEAR(normal_sq / kDraws, 1.0, 0.02);
  EXPECT_NEAR(exponential / kDraws, 2.5, 0.03);
  EXPECT_NEAR(poisson / kDraws, 3.0, 0.02);
  EXPECT_NEAR(static_cast<double>(heads) / kDraws, 0.3, 0.005);
}

TEST(SeededRandomTest, CategoricalFollowsTheWeightsAndNeverPicksAZero) {
  SeededRandom random(3);
  const std::vector<double> weights = {1, 0, 3};
  std::vector<int> counts(3);
  constexpr int kDraws = 40000;
  for (int i = 0; i < kDraws; ++i) ++counts[random.Categorical(weights)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(static_cast<double>(counts[0]) / kDraws, 0.25, 0.01);
  EXPECT_NEAR(static_cast<double>(counts[2]) / kDraws, 0.75, 0.01);
}

TEST(SeededRandomTest, EdgeProbabilities) {
  SeededRandom random(9);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(random.Bernoulli(0));
    EXPECT_TRUE(random.Bernoulli(1));
    EXPECT_EQ(random.Poisson(0), 0);
    EXPECT_EQ(random.UniformInt(1), 0);
  }
}

}  // namespace
}  // namespace recommender
