#include "tests/testing/listening_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace recommender::testing {
namespace {

// A socket bound to a free port of 127.0.0.1; listening if `listen` is set.
int BoundSocket(bool listen, int* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
            0);
  if (listen) {
    EXPECT_EQ(::listen(fd, 1), 0);
  }
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  *port = ntohs(address.sin_port);
  return fd;
}

TEST(ListeningPortsTest, SeesOwnListeningSocketsOnly) {
  int listening_port = 0, bound_port = 0;
  const int listening = BoundSocket(true, &listening_port);
  const int bound = BoundSocket(false, &bound_port);
  absl::StatusOr<std::set<int>> ports = ListeningPorts(::getpid());
  ASSERT_TRUE(ports.ok()) << ports.status();
  EXPECT_EQ(ports->count(listening_port), 1u);
  EXPECT_EQ(ports->count(bound_port), 0u);
  ::close(listening);
  ports = ListeningPorts(::getpid());
  ASSERT_TRUE(ports.ok());
  EXPECT_EQ(ports->count(listening_port), 0u);
  ::close(bound);
}

}  // namespace
}  // namespace recommender::testing
