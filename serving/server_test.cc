// The Server in process: it serves and writes its ports, refuses a port
// another server holds, names bad options, and drains on Shutdown. That it
// listens on no other port is checked in tests/server_in_process_test.cc.
#include "serving/server.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "proto/operations.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

using ::grpc::health::v1::HealthCheckResponse;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(JoinPath(dir_, "models")).ok());
    SnapshotContents contents =
        TestSnapshotBuilder(2)
            .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
            .AddItem("coffee", "food/coffee", {0.5f, 1})
            .AddItem("tea", "food/tea", {0.2f, 1})
            .AddCustomer("alice", {1, 0.5f}, {{"kettle", 1767225600}})
            .Build(42);
    ASSERT_TRUE(WriteSnapshot(contents, JoinPath(dir_, "models")).ok());
  }

  Server::Options Options() const {
    Server::Options options;
    options.model_dir = JoinPath(dir_, "models");
    options.port = 0;
    options.port_file = JoinPath(dir_, "port");
    options.poll_interval = absl::Milliseconds(200);
    options.drain = absl::Seconds(2);
    return options;
  }

  static std::shared_ptr<grpc::Channel> Channel(int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  }

  static HealthCheckResponse::ServingStatus Health(int port) {
    auto stub = grpc::health::v1::Health::NewStub(Channel(port));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest request;
    HealthCheckResponse response;
    if (!stub->Check(&context, request, &response).ok()) {
      return HealthCheckResponse::UNKNOWN;
    }
    return response.status();
  }

  static grpc::Status Recommend(int port) {
    auto stub = v1::Recommender::NewStub(Channel(port));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::RecommendRequest request;
    request.set_customer_id("alice");
    request.set_count(2);
    v1::RecommendResponse response;
    const grpc::Status status = stub->Recommend(&context, request, &response);
    if (status.ok()) {
      EXPECT_EQ(response.model_version(), 42);
    }
    return status;
  }

  std::string dir_;
};

TEST_F(ServerTest, ServesAndWritesItsPorts) {
  Server::Options options = Options();
  options.admin_port = 0;
  options.admin_port_file = JoinPath(dir_, "admin.port");
  Server server;
  ASSERT_TRUE(server.BuildAndStart(options).ok());
  ASSERT_GT(server.port(), 0);
  ASSERT_GT(server.admin_port(), 0);
  EXPECT_TRUE(server.serving());
  int from_file = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(*ReadFileToString(options.port_file)),
      &from_file));
  EXPECT_EQ(from_file, server.port());
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(*ReadFileToString(options.admin_port_file)),
      &from_file));
  EXPECT_EQ(from_file, server.admin_port());
  EXPECT_EQ(Health(server.port()), HealthCheckResponse::SERVING);
  const grpc::Status status = Recommend(server.port());
  EXPECT_TRUE(status.ok()) << status.error_message();

  server.Shutdown();
  server.Wait();
  EXPECT_FALSE(server.serving());
}

TEST_F(ServerTest, SecondServerOnTheSamePortFailsNamingIt) {
  Server first;
  ASSERT_TRUE(first.BuildAndStart(Options()).ok());
  Server::Options options = Options();
  options.port = first.port();
  options.port_file = JoinPath(dir_, "second.port");
  Server second;
  const absl::Status status = second.BuildAndStart(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find(absl::StrCat("port ", first.port(),
                                               " is in use")),
            absl::string_view::npos)
      << status;
  EXPECT_FALSE(PathExists(options.port_file));
  // The first one still has the port to itself.
  EXPECT_TRUE(Recommend(first.port()).ok());
}

TEST_F(ServerTest, AdminPortTakenIsAnErrorNamingIt) {
  Server::Options options = Options();
  options.admin_port = 0;
  Server first;
  ASSERT_TRUE(first.BuildAndStart(options).ok());
  options.admin_port = first.admin_port();
  Server second;
  const absl::Status status = second.BuildAndStart(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find(absl::StrCat(
                "(admin port): port ", first.admin_port(), " is in use")),
            absl::string_view::npos)
      << status;
}

TEST_F(ServerTest, BadOptionsNameTheOption) {
  Server::Options options = Options();
  options.model_dir = "";
  Server no_model_dir;
  EXPECT_EQ(no_model_dir.BuildAndStart(options).message(),
            "model_dir: required");
  options = Options();
  options.port = 70000;
  Server bad_port;
  const absl::Status status = bad_port.BuildAndStart(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "port: must be 0 to 65535, got 70000");
  options = Options();
  options.contact_window_days = 0;
  Server bad_window;
  EXPECT_EQ(bad_window.BuildAndStart(options).message(),
            "contact_window_days: must be 1 to 365, got 0");
  options = Options();
  options.segments_file = JoinPath(std::getenv("TEST_TMPDIR"), "no-such-file");
  Server no_segments;
  const absl::Status missing = no_segments.BuildAndStart(options);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message().rfind("cannot open campaigns: ", 0), 0u) << missing;
  Server twice;
  ASSERT_TRUE(twice.BuildAndStart(Options()).ok());
  EXPECT_EQ(twice.BuildAndStart(Options()).code(),
            absl::StatusCode::kFailedPrecondition);
}

// During the notice health is NOT_SERVING while calls are still answered;
// after Shutdown returns new calls are refused.
TEST_F(ServerTest, ShutdownDrainsAfterTheNotice) {
  Server::Options options = Options();
  options.drain_notice = absl::Seconds(2);
  Server server;
  ASSERT_TRUE(server.BuildAndStart(options).ok());
  const int port = server.port();
  ASSERT_TRUE(Recommend(port).ok());
  std::thread stopper([&server] { server.Shutdown(); });
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (server.serving() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_FALSE(server.serving());
  EXPECT_EQ(Health(port), HealthCheckResponse::NOT_SERVING);
  const grpc::Status during = Recommend(port);
  EXPECT_TRUE(during.ok()) << during.error_message();
  stopper.join();
  server.Wait();
  EXPECT_FALSE(Recommend(port).ok());
}

// The operations status names the model loaded, a version refused, and
// the calls served by method and code.
TEST_F(ServerTest, OperationsStatusTellsLoadsRefusalsAndCalls) {
  Server server;
  ASSERT_TRUE(server.BuildAndStart(Options()).ok());
  ASSERT_TRUE(Recommend(server.port()).ok());
  // Version 43 is only a folder with a broken manifest: refused.
  const std::string broken = JoinPath(JoinPath(dir_, "models"), "43");
  ASSERT_TRUE(CreateDirectories(broken).ok());
  ASSERT_TRUE(
      WriteFileDurably(JoinPath(broken, "MANIFEST.textproto"), "version: ")
          .ok());
  auto stub = v1::Operations::NewStub(Channel(server.port()));
  v1::ServerStatus status;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  do {
    absl::SleepFor(absl::Milliseconds(50));
    grpc::ClientContext context;
    status.Clear();
    ASSERT_TRUE(
        stub->GetServerStatus(&context, v1::GetServerStatusRequest(), &status)
            .ok());
  } while (status.model_loads_size() < 2 && absl::Now() < deadline);
  EXPECT_TRUE(status.serving());
  EXPECT_EQ(status.model_version(), 42);
  ASSERT_EQ(status.model_loads_size(), 2);
  EXPECT_EQ(status.model_loads(0).version(), 43);
  EXPECT_FALSE(status.model_loads(0).loaded());
  EXPECT_FALSE(status.model_loads(0).error().empty());
  EXPECT_EQ(status.model_loads(1).version(), 42);
  EXPECT_TRUE(status.model_loads(1).loaded());
  EXPECT_EQ(status.latency_bucket_bounds_seconds_size(), 14);
  bool recommend_counted = false;
  for (const v1::MethodStats& method : status.methods()) {
    if (method.method() == "Recommend") {
      EXPECT_EQ(method.transport(), "grpc");
      EXPECT_EQ(method.service(), "recommender.v1.Recommender");
      EXPECT_EQ(method.code(), "OK");
      EXPECT_EQ(method.count(), 1);
      EXPECT_EQ(method.latency_buckets_size(), 14);
      recommend_counted = true;
    }
  }
  EXPECT_TRUE(recommend_counted);
  EXPECT_EQ(status.metrics().at("recommender_model_version"), 42);
  EXPECT_EQ(status.metrics().at("recommender_model_load_failures_total"), 1);
}

// The HTTP port answers the same service in process, serves the web pages
// and is counted apart from gRPC.
TEST_F(ServerTest, HttpPortServesTheJsonApiAndPages) {
  Server::Options options = Options();
  options.http_port = 0;
  options.http_port_file = JoinPath(dir_, "http.port");
  Server server;
  ASSERT_TRUE(server.BuildAndStart(options).ok());
  ASSERT_GT(server.http_port(), 0);
  int from_file = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(*ReadFileToString(options.http_port_file)),
      &from_file));
  EXPECT_EQ(from_file, server.http_port());
  httplib::Client client("127.0.0.1", server.http_port());
  client.set_read_timeout(std::chrono::seconds(5));
  httplib::Result info = client.Get("/v1/model");
  ASSERT_TRUE(info) << httplib::to_string(info.error());
  EXPECT_EQ(info->status, 200);
  EXPECT_EQ(nlohmann::json::parse(info->body)["modelVersion"], "42");
  httplib::Result picks = client.Post(
      "/v1/recommend", R"({"customerId":"alice","count":2})", "application/json");
  ASSERT_TRUE(picks);
  EXPECT_EQ(picks->status, 200);
  // The kettle is alice's durable: never offered.
  const nlohmann::json picks_json = nlohmann::json::parse(picks->body);
  ASSERT_FALSE(picks_json["items"].empty());
  for (const auto& item : picks_json["items"]) {
    EXPECT_NE(item["itemId"], "kettle");
  }
  httplib::Result bad = client.Post("/v1/recommend",
                                    R"({"customerId":"alice","count":0})",
                                    "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad->body)["error"]["field"], "count");
  httplib::Result widget = client.Get("/widget/shop-recommendations.js");
  ASSERT_TRUE(widget);
  EXPECT_EQ(widget->status, 200);
  EXPECT_NE(widget->body.find("customElements.define"), std::string::npos);

  httplib::Result status = client.Get("/v1/status");
  ASSERT_TRUE(status);
  int http_recommends = 0;
  const nlohmann::json status_json = nlohmann::json::parse(status->body);
  for (const auto& method : status_json["methods"]) {
    if (method["method"] == "Recommend" && method["transport"] == "http") {
      http_recommends += std::stoi(method["count"].get<std::string>());
    }
  }
  EXPECT_EQ(http_recommends, 2);

  // Draining refuses new HTTP calls too; then the port closes.
  server.Shutdown();
  server.Wait();
  EXPECT_FALSE(client.Get("/v1/model"));
}

}  // namespace
}  // namespace recommender::serving
