#include "serving/http/cors_policy.h"

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

using Verdict = CorsPolicy::Verdict;

TEST(CorsPolicyTest, AllowListedOriginsOnly) {
  absl::StatusOr<CorsPolicy> policy =
      CorsPolicy::Create({"https://shop.example", "http://localhost:8080"});
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->Check("https://shop.example", "reco.example:8081"),
            Verdict::kAllowed);
  EXPECT_EQ(policy->Check("HTTPS://Shop.Example", "reco.example:8081"),
            Verdict::kAllowed);
  EXPECT_EQ(policy->Check("http://localhost:8080", "reco.example:8081"),
            Verdict::kAllowed);
  EXPECT_EQ(policy->Check("https://evil.example", "reco.example:8081"),
            Verdict::kRefused);
  EXPECT_EQ(policy->Check("http://shop.example", "reco.example:8081"),
            Verdict::kRefused);
  EXPECT_EQ(policy->Check("null", "reco.example:8081"), Verdict::kRefused);
}

TEST(CorsPolicyTest, OwnOriginAndNoOriginAreSameOrigin) {
  const CorsPolicy policy;
  EXPECT_EQ(policy.Check("", "127.0.0.1:8081"), Verdict::kSameOrigin);
  EXPECT_EQ(policy.Check("http://127.0.0.1:8081", "127.0.0.1:8081"),
            Verdict::kSameOrigin);
  EXPECT_EQ(policy.Check("http://127.0.0.1:9999", "127.0.0.1:8081"),
            Verdict::kRefused);
}

TEST(CorsPolicyTest, MalformedOriginsAreRefusedNamingThem) {
  for (const char* bad : {"shop.example", "https://shop.example/", "*",
                          "https://*.shop.example", "ftp://shop.example"}) {
    absl::StatusOr<CorsPolicy> policy = CorsPolicy::Create({bad});
    ASSERT_FALSE(policy.ok()) << bad;
    EXPECT_NE(policy.status().message().find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace recommender::serving
