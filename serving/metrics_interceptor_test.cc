#include "serving/metrics_interceptor.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

namespace recommender::serving {
namespace {

TEST(StatusCodeNameTest, PrometheusNames) {
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::RESOURCE_EXHAUSTED), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(grpc::StatusCode::DATA_LOSS), "DATA_LOSS");
  EXPECT_EQ(StatusCodeName(99), "UNKNOWN");
}

// Check answers with the status its request names ("" or "NOT_FOUND").
class Answer : public grpc::health::v1::Health::Service {
  grpc::Status Check(grpc::ServerContext*,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse*) override {
    if (request->service() == "NOT_FOUND") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such service");
    }
    return grpc::Status::OK;
  }
};

TEST(MetricsInterceptorTest, CountsAndTimesEveryCallByMethodAndCode) {
  Metrics metrics;
  Answer answer;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&answer);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      factories;
  factories.push_back(std::make_unique<MetricsInterceptorFactory>(&metrics));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  for (const char* service : {"", "", "NOT_FOUND"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    stub->Check(&context, request, &response);
  }
  server->Shutdown();

  const Metrics::Values values = metrics.Snapshot();
  ASSERT_EQ(values.started.size(), 1u);
  const Metrics::MethodKey& key = values.started[0].first;
  EXPECT_EQ(key.transport, Metrics::Transport::kGrpc);
  EXPECT_EQ(key.service, "grpc.health.v1.Health");
  EXPECT_EQ(key.method, "Check");
  EXPECT_EQ(key.type, "unary");
  EXPECT_EQ(values.started[0].second, 3);

  std::map<std::string, int64_t> by_code;
  for (const Metrics::MethodCode& handled : values.handled) {
    EXPECT_EQ(handled.key.method, "Check");
    by_code[handled.code] = handled.latency.count;
    EXPECT_GE(handled.latency.sum, 0);
    // Every call fits the last bucket (10 s).
    EXPECT_EQ(handled.latency.buckets.back(), handled.latency.count);
  }
  EXPECT_EQ(by_code, (std::map<std::string, int64_t>{{"NOT_FOUND", 1}, {"OK", 2}}));
}

}  // namespace
}  // namespace recommender::serving
