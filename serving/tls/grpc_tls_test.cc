#include "serving/tls/grpc_tls.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "tests/testing/test_certificates.h"

namespace recommender::serving::tls {
namespace {

// Answers every call with NOT_FOUND: reaching it proves the handshake.
class Answer : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext*) override {
    class Reactor : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "reached")); }
      void OnDone() override { delete this; }
    };
    return new Reactor;
  }
};

class GrpcTlsTest : public ::testing::Test {
 protected:
  void Start(bool mutual) {
    const std::string dir = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    absl::StatusOr<recommender::testing::TestCertificates> certs =
        recommender::testing::WriteTestCertificates(dir);
    ASSERT_TRUE(certs.ok()) << certs.status();
    certs_ = *certs;
    TlsFiles files{certs_.server_cert, certs_.server_key,
                   mutual ? certs_.ca_cert : ""};
    ASSERT_TRUE(CheckTlsFiles(files).ok());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", GrpcTlsCredentials(files), &port_);
    builder.RegisterCallbackGenericService(&answer_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // The status of one call with `credentials`; `wait` waits for the
  // connection (the server's files are read in the background).
  grpc::Status Call(std::shared_ptr<grpc::ChannelCredentials> credentials,
                    bool wait) {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port_), credentials));
    grpc::ClientContext context;
    context.set_wait_for_ready(wait);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(wait ? 20 : 5));
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  }

  std::shared_ptr<grpc::ChannelCredentials> Tls(bool client_certificate) const {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = certs_.ca_pem;
    if (client_certificate) {
      ssl.pem_cert_chain = certs_.client_cert_pem;
      ssl.pem_private_key = certs_.client_key_pem;
    }
    return grpc::SslCredentials(ssl);
  }

  recommender::testing::TestCertificates certs_;
  Answer answer_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcTlsTest, ServesTlsToClientsTrustingTheCa) {
  Start(/*mutual=*/false);
  EXPECT_EQ(Call(Tls(false), true).error_code(), grpc::StatusCode::NOT_FOUND);
  // Plaintext never reaches the service.
  EXPECT_EQ(Call(grpc::InsecureChannelCredentials(), false).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(GrpcTlsTest, WithAClientCaClientsMustPresentACertificate) {
  Start(/*mutual=*/true);
  EXPECT_EQ(Call(Tls(true), true).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(Tls(false), false).error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace recommender::serving::tls
