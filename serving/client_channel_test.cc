#include "serving/client_channel.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(WriteFileDurably(path, text).ok());
  return path;
}

// Answers every call with UNAUTHENTICATED and, as the message, the
// "authorization" header the call carried ("-" if none).
class HeaderEcho : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(std::string header) {
        Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, header));
      }
      void OnDone() override { delete this; }
    };
    const auto& metadata = context->client_metadata();
    const auto it = metadata.find("authorization");
    return new Reactor(it == metadata.end()
                           ? "-"
                           : std::string(it->second.data(), it->second.size()));
  }
};

class ClientChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterCallbackGenericService(&echo_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override { server_->Shutdown(); }

  // The authorization header the server saw on one call over `channel`.
  static std::string HeaderSeen(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status =
        stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << status.error_message();
    return status.error_message();
  }

  ClientChannelOptions Options() const {
    ClientChannelOptions options;
    options.target = "127.0.0.1:" + std::to_string(port_);
    return options;
  }

  HeaderEcho echo_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(ClientChannelTest, PlaintextWithoutAKeySendsNoHeader) {
  const absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateClientChannel(Options());
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_EQ(HeaderSeen(*channel), "-");
}

// The key is the file's first line, trimmed.
TEST_F(ClientChannelTest, TheKeyGoesOnEveryCallAsABearerToken) {
  ClientChannelOptions options = Options();
  options.api_key_file = Write("key.txt", "  ops.s3cret \nsecond line\n");
  const absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateClientChannel(options);
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_EQ(HeaderSeen(*channel), "Bearer ops.s3cret");
  EXPECT_EQ(HeaderSeen(*channel), "Bearer ops.s3cret");
}

TEST_F(ClientChannelTest, AKeyFileWithoutAKeyIsRefused) {
  ClientChannelOptions options = Options();
  options.api_key_file = Write("blank.txt", "   \nops.key\n");
  const absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateClientChannel(options);
  EXPECT_EQ(channel.status(),
            absl::InvalidArgumentError("api_key_file: " + options.api_key_file +
                                       " holds no key"));
}

TEST(ClientChannelOptionsTest, UnreadableFilesNameTheirOption) {
  const std::string missing = JoinPath(std::getenv("TEST_TMPDIR"), "missing.pem");
  ClientChannelOptions options;
  options.target = "127.0.0.1:1";
  options.tls_ca_file = missing;
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      CreateClientChannel(options);
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(channel.status().message().substr(0, 8), "tls_ca: ") << channel.status();

  options.tls_ca_file.clear();
  options.api_key_file = missing;
  channel = CreateClientChannel(options);
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(channel.status().message().substr(0, 14), "api_key_file: ")
      << channel.status();
}

TEST(ClientChannelOptionsTest, ClientCertificatesComeInPairsAndNeedACa) {
  ClientChannelOptions options;
  options.target = "127.0.0.1:1";
  options.tls_client_cert_file = "client.pem";
  EXPECT_EQ(CreateClientChannel(options).status(),
            absl::InvalidArgumentError(
                "tls_client_cert, tls_client_key: give both or neither"));
  options.tls_client_key_file = "client.key";
  EXPECT_EQ(CreateClientChannel(options).status(),
            absl::InvalidArgumentError("tls_client_cert: needs --tls_ca"));
}

}  // namespace
}  // namespace recommender::serving
