#include "recommender/timing/gamma_gamma.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// The published CDNOW fit (Fader, Hardie & Lee 2005b).
const GammaGammaParameters kCdnow{6.25, 3.74, 15.44};

// f(z-bar | x) is a density in z-bar: it integrates to 1.
TEST(GammaGammaTest, LikelihoodIsADensityInTheMeanValue) {
  for (double x : {1.0, 3.0, 10.0}) {
    double integral = 0;
    const double step = 0.01;
    for (double z = step / 2; z < 2000; z += step) {
      integral += std::exp(GammaGammaLogLikelihood(kCdnow, x, z)) * step;
    }
    EXPECT_NEAR(integral, 1, 1e-3) << "x = " << x;
  }
}

TEST(GammaGammaTest, ExpectedValueShrinksTowardThePopulationMean) {
  const double population = kCdnow.p * kCdnow.gamma / (kCdnow.q - 1);
  EXPECT_NEAR(GammaGammaExpectedValue(kCdnow, 0, 0), population, 1e-9);
  const double once = GammaGammaExpectedValue(kCdnow, 1, 100);
  const double often = GammaGammaExpectedValue(kCdnow, 50, 100);
  EXPECT_GT(once, population);
  EXPECT_LT(once, often);
  EXPECT_LT(often, 100);
  EXPECT_NEAR(GammaGammaExpectedValue(kCdnow, 1e6, 100), 100, 0.01);
  EXPECT_TRUE(std::isinf(GammaGammaExpectedValue({1, 0.5, 1}, 0, 0)));
}

}  // namespace
}  // namespace recommender
