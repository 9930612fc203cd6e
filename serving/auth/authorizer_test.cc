#include "serving/auth/authorizer.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"

namespace recommender::serving::auth {
namespace {

constexpr char kRecommend[] = "/recommender.v1.Recommender/Recommend";
constexpr char kDelete[] = "/recommender.v1.Recommender/DeleteCustomer";

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = std::getenv("TEST_TMPDIR");
    keys_path_ = JoinPath(dir, "keys");
    audit_path_ = JoinPath(dir, "audit.jsonl");
    RemoveAll(audit_path_).IgnoreError();
    web_ = *MakeApiKey("web", {Role::kStorefront});
    ops_ = *MakeApiKey("ops", {Role::kAdmin});
    ASSERT_TRUE(WriteFileDurably(keys_path_, FormatKeyLine(web_.key) +
                                                 FormatKeyLine(ops_.key)).ok());
    keys_ = *KeyStore::Open(keys_path_);
    audit_ = *AuditLog::Open(audit_path_);
  }

  std::unique_ptr<Authorizer> Make(RateLimiter::Options rate = {}) {
    Authorizer::Options options;
    options.keys = keys_.get();
    options.audit = audit_.get();
    options.rate = rate;
    return std::make_unique<Authorizer>(options);
  }

  absl::StatusOr<Principal> Call(Authorizer& authorizer, const std::string& method,
                                 std::optional<std::string> authorization,
                                 absl::Time now = absl::FromUnixSeconds(1800000000)) {
    Authorizer::Request request;
    request.method = method;
    if (authorization.has_value()) request.authorization = *authorization;
    request.peer = "ipv4:10.0.0.7:5000";
    return authorizer.Authorize(request, now);
  }

  std::vector<nlohmann::json> AuditLines() const {
    std::vector<nlohmann::json> lines;
    for (absl::string_view line :
         absl::StrSplit(*ReadFileToString(audit_path_), '\n', absl::SkipEmpty())) {
      lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
  }

  std::string keys_path_, audit_path_;
  NewApiKey web_, ops_;
  std::unique_ptr<KeyStore> keys_;
  std::unique_ptr<AuditLog> audit_;
};

TEST_F(AuthorizerTest, TheChainOfChecks) {
  std::unique_ptr<Authorizer> authorizer = Make();
  const std::string bearer_web = "Bearer " + web_.token;

  absl::Status none = Call(*authorizer, kRecommend, std::nullopt).status();
  EXPECT_EQ(none.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(none.message().find("authorization: Bearer"), std::string::npos);
  EXPECT_EQ(Call(*authorizer, kRecommend, web_.token).status().code(),
            absl::StatusCode::kUnauthenticated);  // No scheme.
  EXPECT_EQ(Call(*authorizer, kRecommend, "Bearer web.wrong").status().code(),
            absl::StatusCode::kUnauthenticated);

  absl::StatusOr<Principal> allowed = Call(*authorizer, kRecommend, bearer_web);
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_EQ(allowed->key_id, "web");
  EXPECT_TRUE(Call(*authorizer, kRecommend, "bearer   " + web_.token).ok());

  const absl::Status denied = Call(*authorizer, kDelete, bearer_web).status();
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "DeleteCustomer needs the admin role; key web has storefront");
  const absl::Status campaign =
      Call(*authorizer, "/recommender.v1.Recommender/BatchRecommend", bearer_web)
          .status();
  EXPECT_EQ(campaign.message(),
            "BatchRecommend needs the campaign or admin role; key web has storefront");
  EXPECT_TRUE(Call(*authorizer, kDelete, "Bearer " + ops_.token).ok());

  // Health needs no key; an unknown method is refused even with one.
  EXPECT_TRUE(Call(*authorizer, "/grpc.health.v1.Health/Check", std::nullopt).ok());
  EXPECT_EQ(Call(*authorizer, "/recommender.v1.Recommender/Nope", "Bearer " + ops_.token)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Call(*authorizer,
                   "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                   bearer_web)
                  .ok());
}

TEST_F(AuthorizerTest, RefusalsAreAuditedWithoutSecrets) {
  std::unique_ptr<Authorizer> authorizer = Make();
  Call(*authorizer, kRecommend, std::nullopt).IgnoreError();
  Call(*authorizer, kRecommend, "Bearer web." + ops_.token.substr(4)).IgnoreError();
  Call(*authorizer, kDelete, "Bearer " + web_.token).IgnoreError();
  authorizer->CallFinished({"ops", {Role::kAdmin}}, kDelete, "OK", "peer",
                           absl::FromUnixSeconds(100),
                           absl::FromUnixSeconds(100) + absl::Milliseconds(5),
                           {{"live_events_removed", 3}});
  // Not audited: storefront traffic that ran.
  authorizer->CallFinished({"web", {Role::kStorefront}}, kRecommend, "OK", "peer",
                           absl::FromUnixSeconds(100), absl::FromUnixSeconds(100), {});
  const std::vector<nlohmann::json> lines = AuditLines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["outcome"], "UNAUTHENTICATED");
  EXPECT_EQ(lines[0]["key_id"], "");
  EXPECT_EQ(lines[1]["outcome"], "UNAUTHENTICATED");
  EXPECT_EQ(lines[2]["outcome"], "PERMISSION_DENIED");
  EXPECT_EQ(lines[2]["key_id"], "web");
  EXPECT_EQ(lines[2]["roles"], "storefront");
  EXPECT_EQ(lines[2]["peer"], "ipv4:10.0.0.7:5000");
  EXPECT_EQ(lines[3]["method"], kDelete);
  EXPECT_EQ(lines[3]["counts"]["live_events_removed"], 3);
  EXPECT_DOUBLE_EQ(lines[3]["seconds"].get<double>(), 0.005);
  const std::string text = *ReadFileToString(audit_path_);
  EXPECT_EQ(text.find(web_.token.substr(4)), std::string::npos);
  EXPECT_EQ(text.find(ops_.token.substr(4)), std::string::npos);
}

TEST_F(AuthorizerTest, RateLimitsPerKeyWithTheDelay) {
  std::unique_ptr<Authorizer> authorizer = Make({/*per_second=*/2, /*burst=*/2});
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  const std::string bearer = "Bearer " + web_.token;
  EXPECT_TRUE(Call(*authorizer, kRecommend, bearer, t0).ok());
  EXPECT_TRUE(Call(*authorizer, kRecommend, bearer, t0).ok());
  const absl::Status limited = Call(*authorizer, kRecommend, bearer, t0).status();
  EXPECT_EQ(limited.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfter(limited), absl::Milliseconds(500));
  // Other keys are not affected, nor calls without a key to public methods.
  EXPECT_TRUE(Call(*authorizer, kDelete, "Bearer " + ops_.token, t0).ok());
  EXPECT_TRUE(Call(*authorizer, kRecommend, bearer, t0 + absl::Seconds(1)).ok());
  EXPECT_EQ(AuditLines().back()["outcome"], "RESOURCE_EXHAUSTED");
}

TEST_F(AuthorizerTest, WithoutKeysEveryCallerIsUnrestricted) {
  Authorizer authorizer(Authorizer::Options{});
  EXPECT_FALSE(authorizer.keys_enabled());
  absl::StatusOr<Principal> caller = Call(authorizer, kDelete, std::nullopt);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->roles, RoleSet::All());
  EXPECT_EQ(caller->key_id, "");
}

TEST(HttpRefusalTest, CodesAndHeaders) {
  HttpRefusal unauthenticated = HttpRefusalFor(absl::UnauthenticatedError("x"));
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(unauthenticated.headers,
            (std::vector<std::pair<std::string, std::string>>{{"WWW-Authenticate", "Bearer"}}));
  EXPECT_EQ(HttpRefusalFor(absl::PermissionDeniedError("x")).status, 403);
  HttpRefusal limited =
      HttpRefusalFor(RateLimitedError("k", 1, absl::Milliseconds(1500)));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Retry-After", "2"}}));
}

TEST(BearerTokenTest, Forms) {
  EXPECT_EQ(*BearerToken("Bearer abc.def"), "abc.def");
  EXPECT_EQ(*BearerToken("  BEARER  abc.def "), "abc.def");
  EXPECT_FALSE(BearerToken("Basic abc").ok());
  EXPECT_FALSE(BearerToken("Bearer ").ok());
  EXPECT_FALSE(BearerToken(std::nullopt).ok());
}

}  // namespace
}  // namespace recommender::serving::auth
