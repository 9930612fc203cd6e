// End to end, the real server under operations: SIGTERM drains it (health
// turns NOT_SERVING at once, over gRPC and on the admin port's /healthz,
// while calls are still accepted for --drain_notice_seconds; then new calls
// are refused, and a campaign's BatchRecommend stream that was in flight
// all along still completes with every customer and OK; then the process
// exits 0); slow campaign readers holding calls open do not starve the
// storefront's calls; an open stream keeps its model version across a
// reload; the admin port counts events.
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/http_get.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/slow_batch_client.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using testing::OwnChannel;
using testing::ServerProcess;
using testing::SlowBatchClient;

std::string Root() { return testing::TestDir("drain"); }

constexpr char kBatchLabels[] =
    "{grpc_service=\"recommender.v1.Recommender\",grpc_method="
    "\"BatchRecommend\",grpc_type=\"server_stream\"";

// The admin page `path`, or "" if the admin port does not answer.
testing::HttpResult AdminGet(int port, const std::string& path) {
  absl::StatusOr<testing::HttpResult> page = testing::HttpGet(port, path);
  return page.ok() ? *page : testing::HttpResult{};
}

// A Recommend call on a connection of its own; its status.
grpc::Status RecommendOnNewChannel(const std::string& target) {
  auto stub = v1::Recommender::NewStub(OwnChannel(target));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  v1::RecommendRequest request;
  request.set_customer_id("C00001");
  request.set_count(5);
  v1::RecommendResponse response;
  return stub->Recommend(&context, request, &response);
}

class OperationsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root());
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
  }
  static void TearDownTestSuite() { delete model_dir_; }

  // Starts a server with the admin port on; sets admin_port_.
  std::unique_ptr<ServerProcess> StartServer(
      std::vector<std::string> flags,
      const std::string& model_dir = *model_dir_) {
    const std::string port_file = JoinPath(
        Root(), absl::StrCat(::testing::UnitTest::GetInstance()
                                 ->current_test_info()
                                 ->name(),
                             ".admin.port"));
    flags.push_back("--admin_port=0");
    flags.push_back("--admin_port_file=" + port_file);
    auto server = ServerProcess::StartServing(model_dir, flags);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return nullptr;
    absl::StatusOr<std::string> text = ReadFileToString(port_file);
    EXPECT_TRUE(text.ok() && absl::SimpleAtoi(absl::StripAsciiWhitespace(*text),
                                              &admin_port_));
    return *std::move(server);
  }

  // The admin port's /metrics page.
  std::string Metrics() const { return AdminGet(admin_port_, "/metrics").body; }
  static bool HasLine(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  }

  static std::string* model_dir_;
  int admin_port_ = 0;
};

std::string* OperationsEndToEndTest::model_dir_ = nullptr;

TEST_F(OperationsEndToEndTest, SigtermLetsInFlightCallsFinishWhileHealthIsNotServing) {
  // The later --drain_seconds wins over ServerProcess's default.
  std::unique_ptr<ServerProcess> server =
      StartServer({"--drain_notice_seconds=3", "--drain_seconds=60"});
  ASSERT_NE(server, nullptr);
  SlowBatchClient batch(server->target());
  ASSERT_TRUE(batch.ReadOne());
  ASSERT_GT(batch.total(), 100);

  // The server has started the call and not finished it.
  absl::SleepFor(absl::Milliseconds(500));
  const std::string before = Metrics();
  EXPECT_TRUE(HasLine(
      before, absl::StrCat("grpc_server_started_total", kBatchLabels, "} 1")))
      << before;
  ASSERT_EQ(before.find(absl::StrCat("grpc_server_handled_total", kBatchLabels)),
            std::string::npos)
      << "the batch ended before SIGTERM; the test needs it in flight";

  server->Signal(SIGTERM);
  // Health says NOT_SERVING at once, over gRPC and on the admin port...
  const absl::Time signalled = absl::Now();
  while (server->Health() != HealthCheckResponse::NOT_SERVING &&
         absl::Now() < signalled + absl::Seconds(2)) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(server->Health(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(server->Health("recommender.v1.Recommender"),
            HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(AdminGet(admin_port_, "/healthz").status, 503);

  // ...and after the notice new calls are refused, while the batch goes on.
  grpc::Status refused;
  while (absl::Now() < signalled + absl::Seconds(30)) {
    refused = RecommendOnNewChannel(server->target());
    if (!refused.ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE)
      << refused.error_message();
  EXPECT_GE(absl::Now() - signalled, absl::Seconds(2.5))
      << "calls were refused before the notice was over";

  // The client stays slow well past the refusal: the server waits for it.
  absl::SleepFor(absl::Seconds(1));
  const grpc::Status status = batch.ReadToEnd(absl::Milliseconds(20), /*pause_every=*/10);
  EXPECT_TRUE(status.ok()) << status.error_code() << " "
                           << status.error_message();
  EXPECT_EQ(batch.received(), batch.total());
  EXPECT_EQ(server->WaitForExit(), 0);
}

// Calls waiting on a slow reader (or on the event log's fsync) hold a
// request thread each; with the default --threads a dozen campaign exports
// in flight leave room for the storefront.
TEST_F(OperationsEndToEndTest, SlowCampaignReadersDoNotStarveOtherCalls) {
  std::unique_ptr<ServerProcess> server = StartServer({});
  ASSERT_NE(server, nullptr);
  constexpr int kReaders = 12;
  std::vector<std::unique_ptr<SlowBatchClient>> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.push_back(std::make_unique<SlowBatchClient>(server->target()));
    ASSERT_TRUE(readers.back()->ReadOne()) << "reader " << r;
  }
  absl::SleepFor(absl::Milliseconds(500));
  const std::string during = Metrics();
  EXPECT_TRUE(HasLine(during, absl::StrCat("grpc_server_started_total",
                                           kBatchLabels, "} ", kReaders)))
      << during;
  ASSERT_EQ(during.find(absl::StrCat("grpc_server_handled_total", kBatchLabels)),
            std::string::npos)
      << "a batch ended early; the test needs them all in flight";

  for (int i = 0; i < 20; ++i) {
    const grpc::Status status = RecommendOnNewChannel(server->target());
    EXPECT_TRUE(status.ok()) << status.error_code() << " "
                             << status.error_message();
  }
  for (std::unique_ptr<SlowBatchClient>& reader : readers) {
    const grpc::Status status = reader->ReadToEnd();
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(reader->received(), reader->total());
  }
  EXPECT_EQ(server->Terminate(), 0);
}

// A model version that arrives while a campaign stream is open does not
// touch it: every message of the stream names the version it started with,
// while new calls already get the new one.
TEST_F(OperationsEndToEndTest, OpenBatchKeepsTheModelItStartedWith) {
  const std::string model_dir = JoinPath(Root(), "versions");
  testing::SampleModelOptions options;
  options.version = 100;
  ASSERT_TRUE(
      testing::TrainSampleModel(JoinPath(Root(), "data"), model_dir, options)
          .ok());
  std::unique_ptr<ServerProcess> server = StartServer({}, model_dir);
  ASSERT_NE(server, nullptr);
  SlowBatchClient batch(server->target());
  ASSERT_TRUE(batch.ReadOne());
  EXPECT_EQ(batch.last().model_version(), 100);

  options.version = 200;
  ASSERT_TRUE(
      testing::TrainSampleModel(JoinPath(Root(), "data"), model_dir, options)
          .ok());
  auto stub = v1::Recommender::NewStub(server->channel());
  int64_t served = 0;
  for (int attempt = 0; attempt < 100 && served != 200; ++attempt) {
    absl::SleepFor(absl::Milliseconds(100));
    grpc::ClientContext context;
    v1::RecommendRequest request;
    request.set_customer_id("C00001");
    request.set_count(3);
    v1::RecommendResponse response;
    if (stub->Recommend(&context, request, &response).ok()) {
      served = response.model_version();
    }
  }
  ASSERT_EQ(served, 200) << "the new version was not picked up";

  int64_t old_version_messages = 1;
  while (batch.ReadOne()) {
    EXPECT_EQ(batch.last().model_version(), 100) << batch.received();
    old_version_messages += batch.last().model_version() == 100;
  }
  EXPECT_TRUE(batch.Finish().ok());
  EXPECT_EQ(batch.received(), batch.total());
  EXPECT_EQ(old_version_messages, batch.total());
  EXPECT_EQ(server->Terminate(), 0);
}

// The admin port counts what the event log took in.
TEST_F(OperationsEndToEndTest, MetricsCountEventsAndTheLog) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--event_log_dir=" + JoinPath(Root(), "events")});
  ASSERT_NE(server, nullptr);
  const std::string empty = Metrics();
  EXPECT_TRUE(HasLine(empty, "recommender_events_appended_total 0")) << empty;
  EXPECT_TRUE(HasLine(empty, "recommender_event_log_bytes 0")) << empty;

  auto stub = v1::Recommender::NewStub(server->channel());
  for (int call = 0; call < 3; ++call) {
    v1::RecordEventsRequest request;
    for (int i = 0; i < 4; ++i) {
      v1::Event* event = request.add_events();
      event->set_customer_id(absl::StrCat("visitor-", call));
      event->set_item_id(absl::StrFormat("P%05d", 1 + i));
      event->set_type(v1::VIEW);
    }
    // One bad event per call: rejected, not counted.
    v1::Event* bad = request.add_events();
    bad->set_customer_id("visitor");
    bad->set_item_id("NO-SUCH-ITEM");
    bad->set_type(v1::VIEW);
    grpc::ClientContext context;
    v1::RecordEventsResponse response;
    const grpc::Status status = stub->RecordEvents(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.accepted(), 4);
  }
  const std::string text = Metrics();
  EXPECT_TRUE(HasLine(text, "recommender_events_appended_total 12")) << text;
  EXPECT_TRUE(HasLine(text, "recommender_event_log_last_sequence 3")) << text;
  EXPECT_TRUE(HasLine(text, "recommender_live_customers 3")) << text;
  EXPECT_EQ(text.find("\nrecommender_event_log_bytes 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nrecommender_event_log_bytes "), std::string::npos);
  EXPECT_TRUE(HasLine(
      text,
      "grpc_server_handled_total{grpc_service=\"recommender.v1.Recommender\","
      "grpc_method=\"RecordEvents\",grpc_type=\"unary\",grpc_code=\"OK\"} 3"));
  EXPECT_EQ(server->Terminate(), 0);
}

}  // namespace
}  // namespace recommender
