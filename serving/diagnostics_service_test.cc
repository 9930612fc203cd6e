#include "serving/diagnostics_service.h"

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

v1::EchoRequest Payload(std::string payload) {
  v1::EchoRequest request;
  request.set_payload(std::move(payload));
  return request;
}

TEST(NewProbeSecretTest, ThirtyTwoHexDigitsFreshEachTime) {
  const std::string a = NewProbeSecret();
  const std::string b = NewProbeSecret();
  ASSERT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
}

TEST(DiagnosticsServiceTest, OffUnlessEnabled) {
  DiagnosticsService service;
  v1::EchoResponse response;
  const absl::Status off = service.Echo(CallContext(), Payload("hi"), &response);
  EXPECT_EQ(off.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(off.message().find("--enable_diagnostics"), absl::string_view::npos);
  service.set_enabled(true);
  ASSERT_TRUE(service.Echo(CallContext(), Payload("hi"), &response).ok());
  EXPECT_EQ(response.payload(), "hi");
}

TEST(DiagnosticsServiceTest, PayloadsUpToTheLimit) {
  DiagnosticsService service;
  service.set_enabled(true);
  v1::EchoResponse response;
  const std::string largest(kMaxEchoPayloadBytes, 'x');
  ASSERT_TRUE(service.Echo(CallContext(), Payload(largest), &response).ok());
  EXPECT_EQ(response.payload(), largest);
  EXPECT_EQ(service.Echo(CallContext(), Payload(largest + "x"), &response),
            absl::InvalidArgumentError("payload: at most 1024 bytes, got 1025"));
}

// Over gRPC: with the service off, only the probe's secret gets an answer.
TEST(DiagnosticsServiceTest, TheProbeIsAnsweredWhenOff) {
  DiagnosticsService service;
  const std::string secret = "0123456789abcdef0123456789abcdef";
  service.set_probe_secret(secret);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Diagnostics::NewStub(server->InProcessChannel(grpc::ChannelArguments()));

  auto call = [&](const std::string& probe) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!probe.empty()) context.AddMetadata(kProbeMetadata, probe);
    v1::EchoResponse response;
    const grpc::Status status = stub->Echo(&context, Payload("ping"), &response);
    return status.ok() ? response.payload()
                       : std::to_string(static_cast<int>(status.error_code()));
  };
  EXPECT_EQ(call(secret), "ping");
  const std::string unimplemented =
      std::to_string(static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_EQ(call(""), unimplemented);
  EXPECT_EQ(call("f" + secret.substr(1)), unimplemented);
  server->Shutdown();
}

}  // namespace
}  // namespace recommender::serving
