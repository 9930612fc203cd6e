// The Server started in process on a trained sample model: it listens on
// exactly the two ports it reports (gRPC and admin, each bound once; with
// port 0 gRPC's port reuse used to add a second, random gRPC port nobody
// was told about), and its admin port answers probes while 20 idle
// connections are open on it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"
#include "serving/server.h"
#include "tests/testing/http_get.h"
#include "tests/testing/listening_ports.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

std::string Root() { return testing::TestDir("in_process"); }

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

TEST(ServerInProcessTest, OwnsExactlyItsPortsAndAnswersProbesPastIdleClients) {
  ASSERT_TRUE(RemoveAll(Root()).ok());
  serving::Server::Options options;
  options.model_dir = JoinPath(Root(), "models");
  ASSERT_TRUE(
      testing::TrainSampleModel(JoinPath(Root(), "data"), options.model_dir)
          .ok());
  options.port = 0;
  options.admin_port = 0;
  serving::Server server;
  const absl::Status started = server.BuildAndStart(options);
  ASSERT_TRUE(started.ok()) << started;
  EXPECT_TRUE(server.serving());

  absl::StatusOr<std::set<int>> ports = testing::ListeningPorts(::getpid());
  ASSERT_TRUE(ports.ok()) << ports.status();
  EXPECT_EQ(*ports, (std::set<int>{server.port(), server.admin_port()}));

  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) {
    const int fd = IdleConnection(server.admin_port());
    ASSERT_GE(fd, 0) << i;
    idle.push_back(fd);
  }
  absl::StatusOr<testing::HttpResult> healthz =
      testing::HttpGet(server.admin_port(), "/healthz", absl::Seconds(3));
  ASSERT_TRUE(healthz.ok()) << healthz.status();
  EXPECT_EQ(healthz->status, 200);
  EXPECT_EQ(healthz->body, "SERVING\n");
  absl::StatusOr<testing::HttpResult> metrics =
      testing::HttpGet(server.admin_port(), "/metrics", absl::Seconds(3));
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("\nrecommender_model_loads_total 1\n"),
            std::string::npos)
      << metrics->body;
  for (int fd : idle) ::close(fd);

  server.Shutdown();
  server.Wait();
  absl::StatusOr<testing::HttpResult> after =
      testing::HttpGet(server.admin_port(), "/healthz", absl::Seconds(3));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->status, 503);
}

}  // namespace
}  // namespace recommender
