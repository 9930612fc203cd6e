#include "serving/server_security.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"

namespace recommender::serving {
namespace {

TEST(IsLoopbackHostTest, OnlyTheLoopbackNetAndNames) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "127.255.255.255",
                           "localhost", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "10.0.0.1", "128.0.0.1", "1.127.0.0",
                           "example.com", "::", "[::]", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

// A name that merely starts like a loopback address can resolve anywhere.
TEST(IsLoopbackHostTest, NamesThatLookLikeLoopbackAreNot) {
  EXPECT_FALSE(IsLoopbackHost("127.example.com"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.example.com"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1:8080"));
}

class ServerSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(std::getenv("TEST_TMPDIR"),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    web_ = *auth::MakeApiKey("web", {auth::Role::kStorefront});
    ops_ = *auth::MakeApiKey("ops", {auth::Role::kAdmin});
    keys_file_ = JoinPath(dir_, "keys");
    ASSERT_TRUE(WriteFileDurably(keys_file_, auth::FormatKeyLine(web_.key) +
                                                 auth::FormatKeyLine(ops_.key))
                    .ok());
    options_.audit_log = JoinPath(dir_, "audit.log");
  }

  absl::Status StartError(const SecurityOptions& options, const std::string& host) {
    return ServerSecurity::Start(options, host, nullptr).status();
  }

  std::string dir_;
  std::string keys_file_;
  auth::NewApiKey web_;
  auth::NewApiKey ops_;
  SecurityOptions options_;
};

TEST_F(ServerSecurityTest, ListeningRulesNameTheFlag) {
  EXPECT_TRUE(StartError(options_, "127.0.0.1").ok());
  absl::Status error = StartError(options_, "0.0.0.0");
  EXPECT_EQ(error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(error.message().substr(0, 6), "host: ") << error;

  SecurityOptions insecure = options_;
  insecure.insecure = true;
  insecure.insecure_warning_interval = absl::Hours(1);
  EXPECT_TRUE(StartError(insecure, "0.0.0.0").ok());
  insecure.keys_file = keys_file_;
  error = StartError(insecure, "127.0.0.1");
  EXPECT_EQ(error.message().substr(0, 10), "insecure: ") << error;

  SecurityOptions keys = options_;
  keys.keys_file = keys_file_;
  EXPECT_TRUE(StartError(keys, "127.0.0.1").ok());
  error = StartError(keys, "0.0.0.0");  // Keys in plaintext over a network.
  EXPECT_EQ(error.message().substr(0, 11), "keys_file: ") << error;
  keys.keys_file = JoinPath(dir_, "missing");
  error = StartError(keys, "127.0.0.1");
  EXPECT_EQ(error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(error.message().substr(0, 11), "keys_file: ") << error;
}

TEST_F(ServerSecurityTest, WithoutKeysEveryCallerIsUnrestricted) {
  absl::StatusOr<std::unique_ptr<ServerSecurity>> security =
      ServerSecurity::Start(options_, "127.0.0.1", nullptr);
  ASSERT_TRUE(security.ok()) << security.status();
  EXPECT_FALSE((*security)->authorizer()->keys_enabled());
  EXPECT_NE((*security)->GrpcCredentials(), nullptr);
  EXPECT_EQ((*security)->AdminTls(), nullptr);  // No TLS.
  CallContext call;
  ASSERT_TRUE((*security)
                  ->AuthorizeHttp("/recommender.v1.Recommender/GetModelInfo",
                                  HttpCredentials(), &call)
                  .ok());
  EXPECT_FALSE(call.keys_enabled);
  EXPECT_TRUE(call.caller.key_id.empty());
  EXPECT_EQ(call.caller.roles.ToString(), auth::RoleSet::All().ToString());
  EXPECT_FALSE(call.customer_scope.has_value());
}

TEST_F(ServerSecurityTest, HttpCallsWithKeys) {
  SecurityOptions options = options_;
  options.keys_file = keys_file_;
  absl::StatusOr<std::unique_ptr<ServerSecurity>> security =
      ServerSecurity::Start(options, "127.0.0.1", nullptr);
  ASSERT_TRUE(security.ok()) << security.status();
  ServerSecurity& s = **security;
  constexpr char kRecommend[] = "/recommender.v1.Recommender/Recommend";

  // No key at all: the message says how to send one.
  CallContext call;
  absl::Status status = s.AuthorizeHttp(kRecommend, HttpCredentials(), &call);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("X-API-Key"), absl::string_view::npos) << status;

  // The widget's key in X-API-Key: a browser, speaking for no customer.
  HttpCredentials browser;
  browser.api_key = web_.token;
  call = CallContext();
  ASSERT_TRUE(s.AuthorizeHttp(kRecommend, browser, &call).ok());
  EXPECT_TRUE(call.keys_enabled);
  EXPECT_EQ(call.caller.key_id, "web");
  ASSERT_TRUE(call.customer_scope.has_value());
  EXPECT_FALSE(call.customer_scope->customer_id.has_value());

  // An operator's key in Authorization: no customer scope.
  HttpCredentials operator_call;
  operator_call.authorization = "Bearer " + ops_.token;
  call = CallContext();
  ASSERT_TRUE(s.AuthorizeHttp(kRecommend, operator_call, &call).ok());
  EXPECT_EQ(call.caller.key_id, "ops");
  EXPECT_FALSE(call.customer_scope.has_value());

  // A customer token to a server that takes none.
  browser.customer_token = "anything";
  status = s.AuthorizeHttp(kRecommend, browser, &call);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("--customer_token_keys"), absl::string_view::npos)
      << status;
}

TEST_F(ServerSecurityTest, AdminPagesNeedTheirRole) {
  SecurityOptions options = options_;
  options.keys_file = keys_file_;
  absl::StatusOr<std::unique_ptr<ServerSecurity>> security =
      ServerSecurity::Start(options, "127.0.0.1", nullptr);
  ASSERT_TRUE(security.ok()) << security.status();
  HttpRequest request;
  request.path = "/healthz";
  EXPECT_FALSE((*security)->CheckAdminRequest(request).has_value());
  request.path = "/metrics";
  std::optional<HttpResponse> refused = (*security)->CheckAdminRequest(request);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);
  request.authorization = "Bearer " + web_.token;
  request.has_authorization = true;
  refused = (*security)->CheckAdminRequest(request);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 403);
  request.authorization = "Bearer " + ops_.token;
  EXPECT_FALSE((*security)->CheckAdminRequest(request).has_value());
}

}  // namespace
}  // namespace recommender::serving
