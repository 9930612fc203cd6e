#include "serving/health_reporter.h"

#include <memory>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace recommender::serving {
namespace {

using ::grpc::health::v1::HealthCheckResponse;

constexpr char kService[] = "test.v1.Service";

// A real in-process server with the default health service.
class HealthReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = grpc::health::v1::Health::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override { server_->Shutdown(); }

  HealthCheckResponse::ServingStatus Check(const std::string& service) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    const grpc::Status status = stub_->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.status();
  }

  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(HealthReporterTest, ServingOnlyWithAModel) {
  HealthReporter health(kService);
  health.Attach(server_.get());
  EXPECT_FALSE(health.serving());
  EXPECT_EQ(Check(""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Check(kService), HealthCheckResponse::NOT_SERVING);
  health.SetModelLoaded(true);
  EXPECT_TRUE(health.serving());
  EXPECT_EQ(Check(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(kService), HealthCheckResponse::SERVING);
}

TEST_F(HealthReporterTest, StateSetBeforeAttachIsApplied) {
  HealthReporter health(kService);
  health.SetModelLoaded(true);
  health.Attach(server_.get());
  EXPECT_EQ(Check(kService), HealthCheckResponse::SERVING);
}

// The request threads are stuck: health must say so although its own
// service still answers.
TEST_F(HealthReporterTest, NotServingWhileCallsAreNotAnswered) {
  HealthReporter health(kService);
  health.Attach(server_.get());
  health.SetModelLoaded(true);
  health.SetAnswering(false);
  EXPECT_FALSE(health.serving());
  EXPECT_EQ(Check(""), HealthCheckResponse::NOT_SERVING);
  health.SetAnswering(true);
  EXPECT_EQ(Check(kService), HealthCheckResponse::SERVING);
}

TEST_F(HealthReporterTest, DrainingStaysNotServingWhateverLoads) {
  HealthReporter health(kService);
  health.Attach(server_.get());
  health.SetModelLoaded(true);
  health.StartDraining();
  EXPECT_TRUE(health.draining());
  EXPECT_FALSE(health.serving());
  EXPECT_EQ(Check(""), HealthCheckResponse::NOT_SERVING);
  // A model version picked up during the drain does not revive it.
  health.SetModelLoaded(true);
  EXPECT_FALSE(health.serving());
  EXPECT_EQ(Check(kService), HealthCheckResponse::NOT_SERVING);
}

}  // namespace
}  // namespace recommender::serving
