#include "recommender/util/peak_memory.h"

#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(PeakMemoryTest, GrowsPastWhatWasTouched) {
  std::vector<char> block(64 << 20, 1);
  const int64_t peak = PeakMemoryBytes();
  EXPECT_GE(peak, int64_t{64} << 20);
  EXPECT_LT(peak, int64_t{64} << 30);
  EXPECT_EQ(block[12345], 1);
}

TEST(PeakMemoryTest, FormatsBytes) {
  EXPECT_EQ(FormatBytes(512 << 20), "512.0 MiB");
  EXPECT_EQ(FormatBytes(int64_t{5} << 29), "2.50 GiB");
}

}  // namespace
}  // namespace recommender
