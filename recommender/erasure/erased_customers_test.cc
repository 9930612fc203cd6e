#include "recommender/erasure/erased_customers.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(ErasureKeyTest, IsASha256ThatHoldsNoPartOfTheId) {
  const std::string key = ErasureKey("C00042");
  EXPECT_EQ(key.size(), kErasureKeyBytes);
  EXPECT_EQ(key.find("C00042"), std::string::npos);
  EXPECT_EQ(key, ErasureKey("C00042"));
  EXPECT_NE(key, ErasureKey("C00043"));
  EXPECT_NE(key, ErasureKey(""));
}

TEST(ErasureKeyTest, MatchesAKnownDigest) {
  // sha256("recommender erased customer v1\nC1"), from the openssl CLI:
  //   printf 'recommender erased customer v1\nC1' | openssl dgst -sha256
  const std::string key = ErasureKey("C1");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : key) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  EXPECT_EQ(hex, "10593635367473d549f4081fbe71eb5604b85452710e5fd90c9c4e360fd9b5fa");
}

TEST(ErasedCustomersTest, RemembersErasedIdsByKey) {
  ErasedCustomers erased;
  EXPECT_TRUE(erased.empty());
  EXPECT_FALSE(erased.Contains("C1"));
  EXPECT_TRUE(erased.AddKey(ErasureKey("C1")));
  EXPECT_FALSE(erased.AddKey(ErasureKey("C1")));
  EXPECT_EQ(erased.size(), 1);
  EXPECT_TRUE(erased.Contains("C1"));
  EXPECT_TRUE(erased.ContainsKey(ErasureKey("C1")));
  EXPECT_FALSE(erased.Contains("C2"));
  EXPECT_FALSE(erased.Contains("c1"));
  erased.RemoveKey(ErasureKey("C1"));
  EXPECT_FALSE(erased.Contains("C1"));
  EXPECT_TRUE(erased.empty());
}

}  // namespace
}  // namespace recommender
