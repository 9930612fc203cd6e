#include "serving/admin_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

// Sends `request` to 127.0.0.1:port and returns everything answered.
std::string Exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "";
  }
  ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[1024];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0) {
    response.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return response;
}

TEST(AdminHttpServerTest, ServesGetsAndRefusesOtherMethods) {
  auto server = AdminHttpServer::Start(
      "127.0.0.1", 0, [](const std::string& path) {
        if (path == "/metrics") return HttpResponse{200, "text/plain", "up 1\n"};
        return HttpResponse{404, "text/plain", "no\n"};
      });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  ASSERT_GT(port, 0);
  const std::string ok =
      Exchange(port, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok;
  EXPECT_NE(ok.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(ok.substr(ok.size() - 5), "up 1\n");
  EXPECT_EQ(Exchange(port, "GET /other HTTP/1.1\r\n\r\n").rfind(
                "HTTP/1.1 404", 0),
            0u);
  EXPECT_EQ(Exchange(port, "POST /metrics HTTP/1.1\r\n\r\n").rfind(
                "HTTP/1.1 405", 0),
            0u);
  // Garbage is dropped without an answer, and the server goes on.
  Exchange(port, "\r\n\r\n");
  EXPECT_EQ(Exchange(port, "GET /metrics HTTP/1.0\r\n\r\n").rfind(
                "HTTP/1.1 200", 0),
            0u);
}

TEST(AdminHttpServerTest, BadAddressIsAnError) {
  auto server = AdminHttpServer::Start(
      "not-an-address", 0, [](const std::string&) { return HttpResponse(); });
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::serving
