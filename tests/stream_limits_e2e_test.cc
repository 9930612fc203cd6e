// End to end, the real server against clients that misbehave with streams:
// 200 campaign streams whose clients never read do not starve Recommend
// (the streams beyond --max_streams are refused at once, the others are
// ended after --stream_write_timeout_seconds, and health stays SERVING);
// a drain ends a stream still running with UNAVAILABLE saying how far it
// got; an idle connected channel does not hold up the exit.
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "tests/testing/grpc_client.h"
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

std::string Root() { return testing::TestDir("streams"); }

// Recommend latencies in seconds, one call after the other on one channel;
// every call must succeed within a generous deadline.
std::vector<double> RecommendLatencies(const std::string& target, int calls) {
  auto stub = v1::Recommender::NewStub(OwnChannel(target));
  std::vector<double> seconds;
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    v1::RecommendRequest request;
    request.set_customer_id(absl::StrFormat("C%05d", 1 + i % 500));
    request.set_count(10);
    v1::RecommendResponse response;
    const absl::Time start = absl::Now();
    const grpc::Status status = stub->Recommend(&context, request, &response);
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - start));
    EXPECT_TRUE(status.ok()) << status.error_code() << " "
                             << status.error_message();
  }
  return seconds;
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(fraction * (values.size() - 1))];
}

class StreamLimitsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root());
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
  }
  static void TearDownTestSuite() { delete model_dir_; }

  static std::unique_ptr<ServerProcess> StartServer(
      const std::vector<std::string>& flags) {
    auto server = ServerProcess::StartServing(*model_dir_, flags);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static std::string* model_dir_;
};

std::string* StreamLimitsEndToEndTest::model_dir_ = nullptr;

// 63 such streams used to take every request thread, and Recommend got
// RESOURCE_EXHAUSTED for as long as their clients stayed connected while
// health said SERVING.
TEST_F(StreamLimitsEndToEndTest, TwoHundredStalledStreamsDoNotStarveRecommend) {
  constexpr int kStreams = 200;
  constexpr int kMaxStreams = 16;
  std::unique_ptr<ServerProcess> server =
      StartServer({"--max_streams=16", "--stream_write_timeout_seconds=4"});
  ASSERT_NE(server, nullptr);
  const std::vector<double> idle = RecommendLatencies(server->target(), 200);

  std::vector<std::unique_ptr<SlowBatchClient>> streams;
  for (int i = 0; i < kStreams; ++i) {
    streams.push_back(std::make_unique<SlowBatchClient>(server->target()));
  }
  absl::SleepFor(absl::Milliseconds(500));
  const absl::Time loaded_start = absl::Now();
  const std::vector<double> loaded = RecommendLatencies(server->target(), 200);
  const bool still_loaded = absl::Now() - loaded_start < absl::Seconds(3);
  EXPECT_EQ(server->Health(), HealthCheckResponse::SERVING);
  std::cout << "Recommend p50/p99 idle: " << Percentile(idle, 0.5) * 1e3 << " / "
            << Percentile(idle, 0.99) * 1e3 << " ms; with " << kStreams
            << " stalled streams: " << Percentile(loaded, 0.5) * 1e3 << " / "
            << Percentile(loaded, 0.99) * 1e3 << " ms"
            << (still_loaded ? "" : " (some streams may have timed out)")
            << "\n";

  // Beyond --max_streams, refused at once; the others are ended once their
  // client has read nothing for the write timeout.
  absl::SleepFor(absl::Seconds(4) + absl::Seconds(2));
  int refused = 0;
  int ended = 0;
  const absl::Time reads_start = absl::Now();
  for (std::unique_ptr<SlowBatchClient>& stream : streams) {
    const grpc::Status status = stream->ReadToEnd();
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      EXPECT_TRUE(absl::StrContains(status.error_message(), "--max_streams"))
          << status.error_message();
      ++refused;
    } else {
      EXPECT_FALSE(status.ok());
      EXPECT_LT(stream->received(), stream->total());
      ++ended;
    }
  }
  EXPECT_EQ(refused, kStreams - kMaxStreams);
  EXPECT_EQ(ended, kMaxStreams);
  EXPECT_LT(absl::Now() - reads_start, absl::Seconds(30));
  // The threads are free again: a campaign read to the end completes.
  SlowBatchClient reader(server->target());
  EXPECT_TRUE(reader.ReadToEnd().ok());
  EXPECT_EQ(reader.received(), reader.total());
  EXPECT_EQ(server->Terminate(), 0);
}

// A stream still running when the drain time is up ends with UNAVAILABLE
// and says how far it got, so the client can ask for the rest.
TEST_F(StreamLimitsEndToEndTest, DrainEndsARunningStreamWithUnavailable) {
  std::unique_ptr<ServerProcess> server = StartServer({"--drain_seconds=2"});
  ASSERT_NE(server, nullptr);
  SlowBatchClient slow(server->target());
  ASSERT_TRUE(slow.ReadOne());
  const absl::Time start = absl::Now();
  server->Signal(SIGTERM);
  const grpc::Status status = slow.ReadToEnd(absl::Milliseconds(20));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_code() << " " << status.error_message();
  EXPECT_TRUE(absl::StrContains(status.error_message(),
                                absl::StrCat("stopped after ", slow.received())))
      << status.error_message();
  EXPECT_LT(slow.received(), slow.total());
  EXPECT_EQ(server->WaitForExit(), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

// An idle client connection used to keep the server waiting until the end
// of --drain_seconds; with no call in flight it exits at once.
TEST_F(StreamLimitsEndToEndTest, IdleConnectedChannelDoesNotDelayExit) {
  std::unique_ptr<ServerProcess> server = StartServer({"--drain_seconds=20"});
  ASSERT_NE(server, nullptr);
  std::shared_ptr<grpc::Channel> idle = OwnChannel(server->target());
  RecommendLatencies(server->target(), 1);
  idle->GetState(/*try_to_connect=*/true);
  ASSERT_TRUE(idle->WaitForConnected(std::chrono::system_clock::now() +
                                     std::chrono::seconds(5)));
  const absl::Time start = absl::Now();
  EXPECT_EQ(server->Terminate(), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
}

}  // namespace
}  // namespace recommender
