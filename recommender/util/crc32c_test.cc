#include "recommender/util/crc32c.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// Check values from RFC 3720, appendix B.4, and the common "123456789" vector.
TEST(Crc32cTest, MatchesPublishedCheckValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(Crc32cTest, ExtendingEqualsHashingTheConcatenation) {
  const std::string a = "recommend the right detergent ";
  const std::string b = "at the right time";
  EXPECT_EQ(ExtendCrc32c(Crc32c(a), b.data(), b.size()), Crc32c(a + b));
}

TEST(Crc32cTest, DetectsASingleFlippedBit) {
  std::string data(1000, 'x');
  const uint32_t before = Crc32c(data);
  data[517] ^= 0x04;
  EXPECT_NE(Crc32c(data), before);
}

}  // namespace
}  // namespace recommender
