#include "serving/audit_interceptor.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/audit_log.h"
#include "serving/auth/key_store.h"
#include "serving/grpc_auth.h"

namespace recommender::serving {
namespace {

// ListSegments (audited) reports a count; Recommend (not audited) does not.
class Service : public v1::Recommender::Service {
  grpc::Status ListSegments(grpc::ServerContext* context,
                            const v1::ListSegmentsRequest*,
                            v1::ListSegmentsResponse*) override {
    ReportCount(context, "segments", 7);
    return grpc::Status::OK;
  }
  grpc::Status Recommend(grpc::ServerContext*, const v1::RecommendRequest*,
                         v1::RecommendResponse*) override {
    return grpc::Status::OK;
  }
};

class AuditInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = std::getenv("TEST_TMPDIR");
    marketing_ = *auth::MakeApiKey("mkt", {auth::Role::kCampaign});
    web_ = *auth::MakeApiKey("web", {auth::Role::kStorefront});
    const std::string keys_path = JoinPath(dir, "keys");
    ASSERT_TRUE(WriteFileDurably(keys_path, auth::FormatKeyLine(marketing_.key) +
                                                auth::FormatKeyLine(web_.key))
                    .ok());
    keys_ = *auth::KeyStore::Open(keys_path);
    audit_path_ = JoinPath(dir, ::testing::UnitTest::GetInstance()
                                    ->current_test_info()
                                    ->name()) + ".audit";
    absl::StatusOr<std::unique_ptr<auth::AuditLog>> audit =
        auth::AuditLog::Open(audit_path_);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    auth::Authorizer::Options options;
    options.keys = keys_.get();
    options.audit = audit_.get();
    authorizer_ = std::make_unique<auth::Authorizer>(options);

    auto credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    credentials->SetAuthMetadataProcessor(
        std::make_shared<GrpcAuthProcessor>(authorizer_.get(), nullptr));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port);
    builder.RegisterService(&service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        factories;
    factories.push_back(std::make_unique<AuditInterceptorFactory>(authorizer_.get()));
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::Recommender::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port),
        grpc::experimental::LocalCredentials(LOCAL_TCP)));
  }
  void TearDown() override { server_->Shutdown(); }

  void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    context.AddMetadata("authorization", "Bearer " + token);
  }

  // The audit log's lines, parsed.
  std::vector<nlohmann::json> Lines() const {
    const absl::StatusOr<std::string> text = ReadFileToString(audit_path_);
    EXPECT_TRUE(text.ok()) << text.status();
    std::vector<nlohmann::json> lines;
    for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
      lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
  }

  auth::NewApiKey marketing_;
  auth::NewApiKey web_;
  std::unique_ptr<auth::KeyStore> keys_;
  std::string audit_path_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<auth::Authorizer> authorizer_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::Recommender::Stub> stub_;
};

TEST_F(AuditInterceptorTest, AnAuditedCallIsLoggedWithCallerOutcomeAndCounts) {
  grpc::ClientContext context;
  Prepare(context, marketing_.token);
  v1::ListSegmentsResponse response;
  ASSERT_TRUE(stub_->ListSegments(&context, v1::ListSegmentsRequest(), &response).ok());
  // The count also goes back to the client.
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto count = trailers.find("recommender-count-segments");
  ASSERT_NE(count, trailers.end());
  EXPECT_EQ(std::string(count->second.data(), count->second.size()), "7");

  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const nlohmann::json& line = lines[0];
  EXPECT_EQ(line["key_id"], "mkt");
  EXPECT_EQ(line["roles"], "campaign");
  EXPECT_EQ(line["method"], "/recommender.v1.Recommender/ListSegments");
  EXPECT_EQ(line["outcome"], "OK");
  EXPECT_EQ(line["counts"]["messages_in"], 1);
  EXPECT_EQ(line["counts"]["messages_out"], 1);
  EXPECT_EQ(line["counts"]["segments"], 7);
  EXPECT_GE(line["seconds"].get<double>(), 0.0);
  // Never the key itself.
  EXPECT_EQ(line.dump().find(marketing_.token), std::string::npos);
}

TEST_F(AuditInterceptorTest, MethodsNotAuditedLeaveNoLine) {
  grpc::ClientContext context;
  Prepare(context, web_.token);
  v1::RecommendResponse response;
  ASSERT_TRUE(stub_->Recommend(&context, v1::RecommendRequest(), &response).ok());
  EXPECT_TRUE(Lines().empty());
}

// A refusal is audited once, by the authorizer, not again by the
// interceptor (the call never ran).
TEST_F(AuditInterceptorTest, ARefusedCallIsLoggedOnce) {
  grpc::ClientContext context;
  Prepare(context, web_.token);
  v1::ListSegmentsResponse response;
  EXPECT_EQ(stub_->ListSegments(&context, v1::ListSegmentsRequest(), &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["outcome"], "PERMISSION_DENIED");
  EXPECT_EQ(lines[0]["key_id"], "web");
}

}  // namespace
}  // namespace recommender::serving
