#include "serving/call_context.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace recommender::serving {
namespace {

using std::chrono::system_clock;

TEST(CallContextTest, EmptyHooksMeanNeverCancelledAndNoCounts) {
  const CallContext call;
  EXPECT_EQ(call.deadline, system_clock::time_point::max());
  EXPECT_FALSE(call.IsCancelled());
  call.ReportCount("customers", 3);  // No report_count: nothing happens.
  EXPECT_FALSE(call.keys_enabled);
  EXPECT_TRUE(call.caller.key_id.empty());
  EXPECT_FALSE(call.customer_scope.has_value());
}

TEST(CallContextTest, HooksAreCalled) {
  bool gone = false;
  std::vector<std::pair<std::string, int64_t>> counts;
  CallContext call;
  call.cancelled = [&gone] { return gone; };
  call.report_count = [&counts](absl::string_view name, int64_t value) {
    counts.emplace_back(std::string(name), value);
  };
  EXPECT_FALSE(call.IsCancelled());
  gone = true;
  EXPECT_TRUE(call.IsCancelled());
  call.ReportCount("customers", 120);
  EXPECT_EQ(counts, (std::vector<std::pair<std::string, int64_t>>{{"customers", 120}}));
}

// What FromGrpc saw inside a real call on a loopback server.
class Probe : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse*) override {
    const CallContext call = FromGrpc(*context);
    deadline_ = call.deadline;
    cancelled_ = call.IsCancelled();
    if (request->service() == "cancel") call.cancel();
    return grpc::Status::OK;
  }

  system_clock::time_point deadline_;
  bool cancelled_ = true;
};

class FromGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&probe_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Call(const std::string& service,
                    std::optional<system_clock::time_point> deadline) {
    grpc::ClientContext context;
    if (deadline.has_value()) context.set_deadline(*deadline);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    return stub_->Check(&context, request, &response);
  }

  Probe probe_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(FromGrpcTest, TheCallersDeadline) {
  const system_clock::time_point deadline = system_clock::now() + std::chrono::seconds(30);
  ASSERT_TRUE(Call("", deadline).ok());
  EXPECT_LT(probe_.deadline_, deadline + std::chrono::seconds(2));
  EXPECT_GT(probe_.deadline_, deadline - std::chrono::seconds(2));
  EXPECT_FALSE(probe_.cancelled_);
}

TEST_F(FromGrpcTest, NoDeadlineIsTheLatestTime) {
  ASSERT_TRUE(Call("", std::nullopt).ok());
  EXPECT_EQ(probe_.deadline_, system_clock::time_point::max());
}

TEST_F(FromGrpcTest, CancelEndsTheCall) {
  const grpc::Status status =
      Call("cancel", system_clock::now() + std::chrono::seconds(30));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
}

}  // namespace
}  // namespace recommender::serving
