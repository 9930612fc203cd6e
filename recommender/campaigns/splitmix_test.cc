#include "recommender/campaigns/splitmix.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

// The reference implementation's (Vigna, splitmix64.c) first outputs for
// seed 1234567.
TEST(SplitMix64Test, ReferenceOutputs) {
  SplitMix64 random(1234567);
  EXPECT_EQ(random.Next(), 6457827717110365317ull);
  EXPECT_EQ(random.Next(), 3203168211198807973ull);
  EXPECT_EQ(random.Next(), 9817491932198370423ull);
  EXPECT_EQ(random.Next(), 4593380528125082431ull);
  EXPECT_EQ(random.Next(), 16408922859458223821ull);
}

TEST(SplitMix64Test, Mix64IsTheOutputFunction) {
  EXPECT_EQ(Mix64(0), 0u);
  EXPECT_EQ(Mix64(1), 6238072747940578789ull);
  // Next() mixes the state advanced by the golden-ratio increment.
  SplitMix64 random(0);
  EXPECT_EQ(random.Next(), Mix64(0x9e3779b97f4a7c15ull));
  // Neighbouring inputs land far apart.
  EXPECT_GE(__builtin_popcountll(Mix64(41) ^ Mix64(42)), 16);
}

TEST(SplitMix64Test, UniformIsTheTop53BitsOfNext) {
  SplitMix64 a(99), b(99);
  for (int i = 0; i < 100; ++i) {
    const double u = a.Uniform();
    EXPECT_EQ(u, static_cast<double>(b.Next() >> 11) / 9007199254740992.0);
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(SplitMix64Test, BelowStaysBelowAndCoversTheRange) {
  SplitMix64 random(5);
  std::vector<int> counts(6);
  for (int i = 0; i < 60000; ++i) {
    const uint64_t k = random.Below(6);
    ASSERT_LT(k, 6u);
    ++counts[k];
  }
  for (int count : counts) EXPECT_NEAR(count, 10000, 400);
  EXPECT_EQ(random.Below(1), 0u);
  // Lemire's map: the high 64 bits of Next() * n.
  SplitMix64 a(8), b(8);
  const uint64_t next = b.Next();
  EXPECT_EQ(a.Below(1000),
            static_cast<uint64_t>((static_cast<unsigned __int128>(next) * 1000) >> 64));
}

}  // namespace
}  // namespace recommender::campaigns
