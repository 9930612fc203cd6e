#include "serving/listen_error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

using ::testing::HasSubstr;

TEST(ListenErrorTest, PortTakenIsNamed) {
  // A listening socket on a free port of 127.0.0.1.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);

  const absl::Status error = ListenError("gRPC port", "127.0.0.1", port);
  EXPECT_EQ(error.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(error.message()),
              HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(port) +
                        " (gRPC port): port " + std::to_string(port) +
                        " is in use"));
  ::close(fd);
}

TEST(ListenErrorTest, BadHosts) {
  EXPECT_EQ(ListenError("admin port", "no-such-host.invalid", 1).code(),
            absl::StatusCode::kInvalidArgument);
  // TEST-NET-1 (RFC 5737): never an address of this machine.
  const absl::Status foreign = ListenError("admin port", "192.0.2.1", 0);
  EXPECT_EQ(foreign.code(), absl::StatusCode::kInvalidArgument) << foreign;
  EXPECT_THAT(std::string(foreign.message()),
              HasSubstr("192.0.2.1 is not an address of this machine"));
}

TEST(ListenErrorTest, HostPortBracketsIpv6) {
  EXPECT_EQ(HostPort("127.0.0.1", 80), "127.0.0.1:80");
  EXPECT_EQ(HostPort("::1", 80), "[::1]:80");
  EXPECT_EQ(HostPort("[::]", 0), "[::]:0");
}

}  // namespace
}  // namespace recommender::serving
