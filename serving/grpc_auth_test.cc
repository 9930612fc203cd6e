#include "serving/grpc_auth.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "serving/auth/api_keys.h"
#include "serving/auth/key_store.h"

namespace recommender::serving {
namespace {

TEST(MethodTypeNameTest, FromTheLinkedDescriptors) {
  EXPECT_EQ(MethodTypeName("/grpc.health.v1.Health/Check"), "unary");
  EXPECT_EQ(MethodTypeName("/grpc.health.v1.Health/Watch"), "server_stream");
  EXPECT_EQ(MethodTypeName("/recommender.v1.Recommender/BatchRecommend"),
            "server_stream");
  EXPECT_EQ(MethodTypeName("/recommender.v1.Recommender/Recommend"), "unary");
  EXPECT_EQ(MethodTypeName("/no.Such/Method"), "unary");
  EXPECT_EQ(MethodTypeName("/metrics"), "unary");
  EXPECT_EQ(MethodTypeName(""), "unary");
}

// Answers every call it is let through with ABORTED and, as the message,
// what the handler can see: "<key id>|<roles>|<authorization header>" by
// CallerOf with keys on, and the caller with keys off.
class Reveal : public grpc::CallbackGenericService {
 public:
  Reveal(const auth::Authorizer* keyed, const auth::Authorizer* open)
      : keyed_(keyed), open_(open) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(std::string seen) {
        Finish(grpc::Status(grpc::StatusCode::ABORTED, seen));
      }
      void OnDone() override { delete this; }
    };
    const auth::Principal caller = CallerOf(*context, *keyed_);
    const auth::Principal unrestricted = CallerOf(*context, *open_);
    const auto& metadata = context->client_metadata();
    const auto header = metadata.find("authorization");
    return new Reactor(absl::StrCat(
        caller.key_id, "|", caller.roles.ToString(), "|",
        header == metadata.end() ? "-" : "present", "|", unrestricted.key_id,
        "|", unrestricted.roles.ToString()));
  }

 private:
  const auth::Authorizer* keyed_;
  const auth::Authorizer* open_;
};

class GrpcAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_ = *auth::MakeApiKey("web", {auth::Role::kStorefront});
    const std::string keys_path = JoinPath(std::getenv("TEST_TMPDIR"), "keys");
    ASSERT_TRUE(WriteFileDurably(keys_path, auth::FormatKeyLine(web_.key)).ok());
    absl::StatusOr<std::unique_ptr<auth::KeyStore>> keys =
        auth::KeyStore::Open(keys_path);
    ASSERT_TRUE(keys.ok()) << keys.status();
    keys_ = *std::move(keys);
    auth::Authorizer::Options options;
    options.keys = keys_.get();
    keyed_ = std::make_unique<auth::Authorizer>(options);
    open_ = std::make_unique<auth::Authorizer>(auth::Authorizer::Options());
    reveal_ = std::make_unique<Reveal>(keyed_.get(), open_.get());

    auto credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    credentials->SetAuthMetadataProcessor(
        std::make_shared<GrpcAuthProcessor>(keyed_.get(), &metrics_));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port);
    builder.RegisterCallbackGenericService(reveal_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::experimental::LocalCredentials(LOCAL_TCP));
  }
  void TearDown() override { server_->Shutdown(); }

  void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  }

  grpc::Status Recommend(const std::string& token) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::RecommendResponse response;
    return v1::Recommender::NewStub(channel_)->Recommend(
        &context, v1::RecommendRequest(), &response);
  }

  grpc::Status ListSegments(const std::string& token) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::ListSegmentsResponse response;
    return v1::Recommender::NewStub(channel_)->ListSegments(
        &context, v1::ListSegmentsRequest(), &response);
  }

  auth::NewApiKey web_;
  std::unique_ptr<auth::KeyStore> keys_;
  std::unique_ptr<auth::Authorizer> keyed_;
  std::unique_ptr<auth::Authorizer> open_;
  std::unique_ptr<Reveal> reveal_;
  Metrics metrics_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcAuthTest, AKeyWithTheRoleReachesTheHandlerWhichSeesItsIdNotTheKey) {
  const grpc::Status status = Recommend(web_.token);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  const std::string all = auth::RoleSet::All().ToString();
  EXPECT_EQ(status.error_message(), "web|storefront|-||" + all);
}

TEST_F(GrpcAuthTest, RefusalsNeverReachTheHandlerAndAreCounted) {
  grpc::Status status = Recommend("");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << status.error_message();
  status = Recommend("web.not-the-secret");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message().find("not-the-secret"), std::string::npos);
  status = ListSegments(web_.token);  // A campaign method.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << status.error_message();

  const Metrics::Values values = metrics_.Snapshot();
  int64_t unauthenticated = 0, denied = 0;
  for (const Metrics::MethodCode& handled : values.handled) {
    EXPECT_EQ(handled.key.service, "recommender.v1.Recommender");
    EXPECT_EQ(handled.key.type, "unary");
    if (handled.code == "UNAUTHENTICATED") unauthenticated += handled.latency.count;
    if (handled.code == "PERMISSION_DENIED") denied += handled.latency.count;
  }
  EXPECT_EQ(unauthenticated, 2);
  EXPECT_EQ(denied, 1);
}

TEST_F(GrpcAuthTest, HealthChecksNeedNoKey) {
  grpc::ClientContext context;
  Prepare(context, "");
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = grpc::health::v1::Health::NewStub(channel_)->Check(
      &context, grpc::health::v1::HealthCheckRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  EXPECT_EQ(metrics_.Snapshot().handled.size(), 0u);  // Nothing refused.
}

}  // namespace
}  // namespace recommender::serving
