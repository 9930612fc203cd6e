#include "serving/auth/customer_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

CustomerTokenKeys Keys() {
  return *CustomerTokenKeys::Parse(
      "# two keys: k2 signs, k1 still verifies\n"
      "k2 " + std::string(64, 'b') + "\n"
      "k1 " + std::string(64, 'a') + "\n",
      "tokens.txt");
}

TEST(CustomerTokenTest, AGenuineTokenNamesItsCustomer) {
  const CustomerTokenKeys keys = Keys();
  EXPECT_EQ(keys.first_id(), "k2");
  absl::StatusOr<std::string> token =
      MintCustomerToken(keys, "k2", "C00042", kNow + absl::Minutes(15));
  ASSERT_TRUE(token.ok()) << token.status();
  absl::StatusOr<CustomerClaim> claim = VerifyCustomerToken(keys, *token, kNow);
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_EQ(claim->customer_id, "C00042");
  EXPECT_EQ(claim->key_id, "k2");
  EXPECT_EQ(claim->expires, kNow + absl::Minutes(15));
  // Signed with the older key: still accepted.
  EXPECT_TRUE(VerifyCustomerToken(
                  keys, *MintCustomerToken(keys, "k1", "C1", kNow + absl::Minutes(1)),
                  kNow)
                  .ok());
}

// The format is what docs/security.md tells other languages to compute.
TEST(CustomerTokenTest, MatchesAnIndependentHmac) {
  const CustomerTokenKeys keys = Keys();
  const std::string token =
      *MintCustomerToken(keys, "k1", "C1", absl::FromUnixSeconds(1800000900));
  const std::string signed_part =
      absl::StrCat("ct1.k1.", absl::WebSafeBase64Escape("C1"), ".1800000900");
  const std::string key(32, '\xaa');
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()),
       signed_part.size(), mac, &length);
  EXPECT_EQ(token, absl::StrCat(signed_part, ".",
                                absl::WebSafeBase64Escape(absl::string_view(
                                    reinterpret_cast<const char*>(mac), length))));
  EXPECT_EQ(signed_part, "ct1.k1.QzE.1800000900");
}

TEST(CustomerTokenTest, ATokenForACannotBeTurnedIntoB) {
  const CustomerTokenKeys keys = Keys();
  const std::string token =
      *MintCustomerToken(keys, "k2", "ALICE", kNow + absl::Minutes(5));
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  parts[2] = absl::WebSafeBase64Escape("BOB");
  const absl::Status forged =
      VerifyCustomerToken(keys, absl::StrJoin(parts, "."), kNow).status();
  EXPECT_EQ(forged.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(forged.message(), "customer token: bad signature");
  // Nor can its expiry be stretched, or its key id swapped.
  parts = absl::StrSplit(token, '.');
  parts[3] = absl::StrCat(absl::ToUnixSeconds(kNow) + 600);
  EXPECT_FALSE(VerifyCustomerToken(keys, absl::StrJoin(parts, "."), kNow).ok());
  parts = absl::StrSplit(token, '.');
  parts[1] = "k1";
  EXPECT_FALSE(VerifyCustomerToken(keys, absl::StrJoin(parts, "."), kNow).ok());
  // A token signed with a key we do not have.
  const CustomerTokenKeys other =
      *CustomerTokenKeys::Parse("k2 " + std::string(64, 'c'), "other");
  EXPECT_EQ(VerifyCustomerToken(
                keys, *MintCustomerToken(other, "k2", "ALICE", kNow + absl::Minutes(5)),
                kNow)
                .status()
                .message(),
            "customer token: bad signature");
}

TEST(CustomerTokenTest, ExpiredLongLivedAndMalformedTokensAreRefused) {
  const CustomerTokenKeys keys = Keys();
  const std::string token =
      *MintCustomerToken(keys, "k2", "C1", kNow + absl::Minutes(10));
  EXPECT_TRUE(VerifyCustomerToken(keys, token, kNow + absl::Minutes(9)).ok());
  // Replayed after its expiry.
  EXPECT_EQ(VerifyCustomerToken(keys, token, kNow + absl::Minutes(10)).status().message(),
            "customer token: expired");
  const std::string long_lived =
      *MintCustomerToken(keys, "k2", "C1", kNow + absl::Hours(48));
  EXPECT_EQ(VerifyCustomerToken(keys, long_lived, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyCustomerToken(keys, long_lived, kNow, absl::Hours(72)).ok());
  for (const char* bad : {"", "ct1", "ct2.k2.QzE.1.x", "ct1.nokey.QzE.1.x",
                          "ct1.k2.QzE.1.x.y", "ct1.k2..1.x"}) {
    EXPECT_EQ(VerifyCustomerToken(keys, bad, kNow).status().code(),
              absl::StatusCode::kUnauthenticated)
        << bad;
  }
  EXPECT_FALSE(MintCustomerToken(keys, "k9", "C1", kNow).ok());
  EXPECT_FALSE(MintCustomerToken(keys, "k2", "", kNow).ok());
}

TEST(CustomerTokenTest, KeyFiles) {
  absl::StatusOr<std::string> text = CustomerTokenKeys::NewKeyFile("shop-1");
  ASSERT_TRUE(text.ok());
  absl::StatusOr<CustomerTokenKeys> keys = CustomerTokenKeys::Parse(*text, "new");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->first_id(), "shop-1");
  EXPECT_EQ(keys->Find("shop-1")->size(), kMinTokenKeyBytes);
  EXPECT_FALSE(CustomerTokenKeys::Parse("k1 abcd", "f").ok());  // Too short.
  EXPECT_FALSE(CustomerTokenKeys::Parse("# nothing\n", "f").ok());
  EXPECT_FALSE(CustomerTokenKeys::Parse("k1 " + std::string(64, 'z'), "f").ok());
  const absl::Status repeated = CustomerTokenKeys::Parse(
      "k1 " + std::string(64, 'a') + "\nk1 " + std::string(64, 'b'), "f").status();
  EXPECT_NE(repeated.message().find("f:2: key id \"k1\" appears twice"),
            std::string::npos);
}

}  // namespace
}  // namespace recommender::serving::auth
