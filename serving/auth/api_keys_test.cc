#include "serving/auth/api_keys.h"

#include "gtest/gtest.h"

namespace recommender::serving::auth {
namespace {

TEST(ApiKeysTest, ANewKeysLineHoldsNoSecretAndMatchesIt) {
  absl::StatusOr<NewApiKey> made = MakeApiKey("shop-web", {Role::kStorefront});
  ASSERT_TRUE(made.ok()) << made.status();
  std::optional<TokenParts> parts = SplitToken(made->token);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->id, "shop-web");
  EXPECT_EQ(parts->secret.size(), 43u);  // 32 bytes, base64url, no padding.
  const std::string line = FormatKeyLine(made->key);
  EXPECT_EQ(line.find(std::string(parts->secret)), std::string::npos);
  EXPECT_EQ(line.rfind("shop-web storefront sha256:", 0), 0u) << line;

  absl::StatusOr<std::vector<ApiKey>> parsed = ParseKeyFile(line, "keys");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_TRUE(SecretMatches((*parsed)[0], parts->secret));
  std::string wrong(parts->secret);
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(SecretMatches((*parsed)[0], wrong));
  EXPECT_FALSE(SecretMatches((*parsed)[0], ""));
  // Two keys never share a secret or a salt.
  absl::StatusOr<NewApiKey> other = MakeApiKey("shop-web", {Role::kStorefront});
  EXPECT_NE(other->token, made->token);
  EXPECT_NE(other->key.salt, made->key.salt);
}

TEST(ApiKeysTest, FilesWithCommentsAndSeveralRoles) {
  const std::string text =
      "# keys\n"
      "\n"
      "ops admin sha256:00112233445566778899aabbccddeeff:"
      "0000000000000000000000000000000000000000000000000000000000000000\n"
      "  both storefront,orders\tsha256:00112233445566778899aabbccddeeff:"
      "1111111111111111111111111111111111111111111111111111111111111111 # web\n";
  absl::StatusOr<std::vector<ApiKey>> keys = ParseKeyFile(text, "keys.txt");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].id, "both");
  EXPECT_EQ((*keys)[1].roles, RoleSet({Role::kStorefront, Role::kOrders}));
}

TEST(ApiKeysTest, BadLinesNameFileAndLine) {
  const std::string good_hash =
      "sha256:00112233445566778899aabbccddeeff:"
      "0000000000000000000000000000000000000000000000000000000000000000";
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"ops admin\n", "keys.txt:1: expected"},
      {"\nops root " + good_hash, "keys.txt:2: unknown role \"root\""},
      {"o/ps admin " + good_hash, "keys.txt:1: key id: only letters"},
      {"ops admin md5:00:11", "keys.txt:1: the hash must be"},
      {"ops admin sha256:0011:00", "keys.txt:1: the hash must be"},
      {"ops admin " + good_hash + "\nops campaign " + good_hash,
       "keys.txt:2: key id \"ops\" appears twice"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::vector<ApiKey>> keys = ParseKeyFile(c.text, "keys.txt");
    ASSERT_FALSE(keys.ok()) << c.text;
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(keys.status().message().find(c.message), std::string::npos)
        << keys.status().message();
  }
}

TEST(ApiKeysTest, TokensAndIds) {
  EXPECT_FALSE(SplitToken("no-dot").has_value());
  EXPECT_FALSE(SplitToken(".secret").has_value());
  EXPECT_FALSE(SplitToken("id.").has_value());
  EXPECT_FALSE(SplitToken("bad id.secret").has_value());
  EXPECT_EQ(SplitToken("id.se.cret")->secret, "se.cret");
  EXPECT_FALSE(MakeApiKey("", {Role::kAdmin}).ok());
  EXPECT_FALSE(MakeApiKey("ops", {}).ok());
  EXPECT_FALSE(ValidateKeyId(std::string(65, 'a')).ok());
  EXPECT_TRUE(ValidateKeyId(std::string(64, 'a')).ok());
}

}  // namespace
}  // namespace recommender::serving::auth
