#include "serving/admin_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "recommender/util/file_util.h"
#include "serving/tls/reloading_certificate.h"
#include "tests/testing/test_certificates.h"

namespace recommender::serving {
namespace {

// cpp-httplib's client, as in the end-to-end tests (tests/testing/http_get.h),
// giving up after a few seconds.
httplib::Client Client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(3));
  client.set_read_timeout(std::chrono::seconds(3));
  return client;
}

AdminHttpServer::Handler Pages() {
  return [](const HttpRequest& request) {
    if (request.path == "/metrics") return HttpResponse{200, "text/plain", "up 1\n"};
    if (request.path == "/healthz") {
      return HttpResponse{200, "text/plain", "SERVING\n"};
    }
    if (request.path == "/whoami") {
      return HttpResponse{200, "text/plain",
                          (request.has_authorization ? request.authorization
                                                     : std::string("none")) +
                              " from " + request.peer.substr(0, 14)};
    }
    return HttpResponse{404, "text/plain", "no\n"};
  };
}

// A TCP connection to 127.0.0.1:port that sends nothing; -1 on failure.
int IdleConnection(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(AdminHttpServerTest, ServesGetsAndRefusesOtherMethods) {
  auto server = AdminHttpServer::Start("127.0.0.1", 0, Pages());
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  httplib::Result ok = Client(port).Get("/metrics?x=1");
  ASSERT_TRUE(ok) << httplib::to_string(ok.error());
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->get_header_value("Content-Type"), "text/plain");
  EXPECT_EQ(ok->body, "up 1\n");
  httplib::Result other = Client(port).Get("/other");
  ASSERT_TRUE(other) << httplib::to_string(other.error());
  EXPECT_EQ(other->status, 404);
  httplib::Result post = Client(port).Post("/metrics");
  ASSERT_TRUE(post) << httplib::to_string(post.error());
  EXPECT_EQ(post->status, 405);
  httplib::Result head = Client(port).Head("/healthz");
  ASSERT_TRUE(head) << httplib::to_string(head.error());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
}

TEST(AdminHttpServerTest, GarbageIsAnsweredWithoutStoppingTheServer) {
  auto server = AdminHttpServer::Start("127.0.0.1", 0, Pages());
  ASSERT_TRUE(server.ok()) << server.status();
  const int fd = IdleConnection((*server)->port());
  ASSERT_GE(fd, 0);
  const std::string garbage = "\x01\x02 nonsense\r\n\r\n";
  ASSERT_EQ(::send(fd, garbage.data(), garbage.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(garbage.size()));
  char buffer[256];
  const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
  ::close(fd);
  EXPECT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, n > 12 ? 12 : 0), "HTTP/1.1 400");
  httplib::Result after = Client((*server)->port()).Get("/metrics");
  ASSERT_TRUE(after) << httplib::to_string(after.error());
  EXPECT_EQ(after->status, 200);
}

// Idle connections that never send a byte (and half-sent requests) must not
// lock out probes and scrapes: each page must still answer within the
// client's timeout while they are open.
TEST(AdminHttpServerTest, IdleAndHalfOpenConnectionsDoNotBlockProbes) {
  auto server = AdminHttpServer::Start("127.0.0.1", 0, Pages());
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) {
    const int fd = IdleConnection(port);
    ASSERT_GE(fd, 0) << i;
    idle.push_back(fd);
  }
  for (int i = 0; i < 20; ++i) {
    const int fd = IdleConnection(port);
    ASSERT_GE(fd, 0) << i;
    const std::string partial = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    ::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL);
    idle.push_back(fd);
  }
  for (const std::string path : {"/healthz", "/metrics", "/healthz"}) {
    const absl::Time start = absl::Now();
    httplib::Result page = Client(port).Get(path);
    ASSERT_TRUE(page) << path << ": " << httplib::to_string(page.error());
    EXPECT_EQ(page->status, 200) << path;
    std::cout << path << " answered in " << (absl::Now() - start)
              << " with 40 stalled connections open\n";
  }
  for (int fd : idle) ::close(fd);
}

TEST(AdminHttpServerTest, SecondServerOnTheSamePortFails) {
  auto first = AdminHttpServer::Start("127.0.0.1", 0, Pages());
  ASSERT_TRUE(first.ok()) << first.status();
  const int port = (*first)->port();
  auto second = AdminHttpServer::Start("127.0.0.1", port, Pages());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find(
                "port " + std::to_string(port) + " is in use"),
            absl::string_view::npos)
      << second.status();
  httplib::Result page = Client(port).Get("/metrics");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->body, "up 1\n");
}

TEST(AdminHttpServerTest, PassesTheAuthorizationHeaderAndPeer) {
  auto server = AdminHttpServer::Start("127.0.0.1", 0, Pages());
  ASSERT_TRUE(server.ok());
  httplib::Client client = Client((*server)->port());
  httplib::Result anonymous = client.Get("/whoami");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->body, "none from ipv4:127.0.0.1");
  httplib::Result keyed = client.Get("/whoami", {{"Authorization", "Bearer k.s"}});
  ASSERT_TRUE(keyed);
  EXPECT_EQ(keyed->body, "Bearer k.s from ipv4:127.0.0.1");
}

// The common name of the certificate a TLS server on 127.0.0.1:port shows.
std::string ServedCommonName(int port) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  BIO* bio = BIO_new_ssl_connect(context);
  BIO_set_conn_hostname(bio, absl::StrCat("127.0.0.1:", port).c_str());
  std::string name;
  if (BIO_do_connect(bio) == 1 && BIO_do_handshake(bio) == 1) {
    SSL* ssl = nullptr;
    BIO_get_ssl(bio, &ssl);
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (cert != nullptr) {
      char buffer[256] = {0};
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                buffer, sizeof(buffer));
      name = buffer;
      X509_free(cert);
    }
  }
  BIO_free_all(bio);
  SSL_CTX_free(context);
  return name;
}

TEST(AdminHttpServerTest, ServesHttpsOnlyAndPicksUpANewCertificate) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "certs");
  auto certs = testing::WriteTestCertificates(dir, "first");
  ASSERT_TRUE(certs.ok()) << certs.status();
  tls::TlsFiles files{certs->server_cert, certs->server_key, ""};
  files.reload_interval = absl::Seconds(1);
  auto certificate = tls::ReloadingCertificate::Start(files);
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  AdminHttpServer::Options options;
  options.tls = [&certificate](SSL_CTX& context) {
    return (*certificate)->Configure(context);
  };
  auto server = AdminHttpServer::Start("127.0.0.1", 0, Pages(), options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();

  httplib::Result plain = Client(port).Get("/healthz");
  EXPECT_TRUE(!plain || plain->status != 200);
  httplib::SSLClient secure("127.0.0.1", port);
  secure.set_ca_cert_path(certs->ca_cert.c_str());
  secure.enable_server_certificate_verification(true);
  secure.set_connection_timeout(std::chrono::seconds(3));
  httplib::Result page = secure.Get("/healthz");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->body, "SERVING\n");
  EXPECT_EQ(ServedCommonName(port), "first");

  // A renewed certificate (same CA) is served within the reload interval.
  ASSERT_TRUE(testing::WriteTestCertificates(dir, "second").ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (ServedCommonName(port) != "second" && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(ServedCommonName(port), "second");
}

TEST(AdminHttpServerTest, BadAddressAndOptionsAreErrors) {
  auto server = AdminHttpServer::Start("not-an-address.invalid", 0, Pages());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  AdminHttpServer::Options options;
  options.worker_threads = 0;
  EXPECT_EQ(
      AdminHttpServer::Start("127.0.0.1", 0, Pages(), options).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::serving
