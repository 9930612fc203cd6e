// End to end: the real server picks up a new model version under load
// without a single failed call, and refuses a corrupt one while the old
// version keeps serving.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/util/file_util.h"
#include "tests/testing/http_get.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::ServerProcess;

std::string Root() { return testing::TestDir("reload"); }

int64_t ServedVersion(v1::Recommender::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  v1::ModelInfo info;
  if (!stub.GetModelInfo(&context, v1::GetModelInfoRequest(), &info).ok()) {
    return -1;
  }
  return info.model_version();
}

TEST(ModelReloadEndToEndTest, NewVersionUnderLoadAndCorruptVersionRefused) {
  ASSERT_TRUE(RemoveAll(Root()).ok());
  const std::string data_dir = JoinPath(Root(), "data");
  const std::string model_dir = JoinPath(Root(), "models");
  testing::SampleModelOptions options;
  options.version = 100;
  ASSERT_TRUE(testing::TrainSampleModel(data_dir, model_dir, options).ok());
  const std::string admin_port_file = JoinPath(Root(), "admin.port");
  auto server = ServerProcess::StartServing(
      model_dir, {"--admin_port=0", "--admin_port_file=" + admin_port_file});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::Recommender::NewStub((*server)->channel());
  ASSERT_EQ(ServedVersion(*stub), 100);

  // Load: four clients calling Recommend back to back (bounded), counting
  // failures and the versions that answered.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> calls{0}, failures{0};
  absl::Mutex mu;
  std::set<int64_t> versions;
  std::string first_error;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto client = v1::Recommender::NewStub((*server)->channel());
      for (int i = 0; i < 20000 && !stop.load(); ++i) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(10));
        v1::RecommendRequest request;
        request.set_customer_id(
            absl::StrFormat("C%05d", 1 + (i * 7 + t) % 300));
        request.set_count(10);
        v1::RecommendResponse response;
        const grpc::Status status =
            client->Recommend(&context, request, &response);
        ++calls;
        absl::MutexLock lock(&mu);
        if (!status.ok()) {
          if (failures++ == 0) first_error = status.error_message();
        } else {
          versions.insert(response.model_version());
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(300));
  options.version = 200;
  ASSERT_TRUE(testing::TrainSampleModel(data_dir, model_dir, options).ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    {
      absl::MutexLock lock(&mu);
      if (versions.count(200) > 0) break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Milliseconds(300));
  stop = true;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_GT(calls.load(), 100);
  EXPECT_EQ(versions, (std::set<int64_t>{100, 200}));

  // A corrupt version 300 appears (one flipped byte in the item factors,
  // renamed into place as a whole, as the trainer would): it is refused and
  // 200 keeps answering.
  const std::string staging = JoinPath(Root(), "staging");
  options.version = 300;
  absl::StatusOr<std::string> corrupt =
      testing::TrainSampleModel(data_dir, staging, options);
  ASSERT_TRUE(corrupt.ok()) << corrupt.status();
  const std::string factors = JoinPath(*corrupt, "item_factors.emb");
  std::string bytes = *ReadFileToString(factors);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  ASSERT_TRUE(WriteFileDurably(factors, bytes).ok());
  ASSERT_TRUE(RenamePath(*corrupt, JoinPath(model_dir, "300")).ok());
  absl::SleepFor(absl::Seconds(1));  // Five polls.
  EXPECT_EQ(ServedVersion(*stub), 200);
  v1::RecommendRequest request;
  request.set_customer_id("C00001");
  request.set_count(5);
  v1::RecommendResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->Recommend(&context, request, &response).ok());
  EXPECT_EQ(response.model_version(), 200);

  // The admin port tells the same story in Prometheus' text format.
  int admin_port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      absl::StripAsciiWhitespace(*ReadFileToString(admin_port_file)),
      &admin_port));
  absl::StatusOr<testing::HttpResult> page =
      testing::HttpGet(admin_port, "/metrics");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200);
  const std::string& text = page->body;
  EXPECT_NE(text.find("\nrecommender_model_version 200\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\nrecommender_model_load_failures_total 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nrecommender_model_loads_total 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("grpc_server_handled_total{grpc_service=\"recommender."
                      "v1.Recommender\",grpc_method=\"Recommend\",grpc_type="
                      "\"unary\",grpc_code=\"OK\"} "),
            std::string::npos);
  EXPECT_NE(text.find("grpc_server_handling_seconds_bucket{grpc_service=\""
                      "recommender.v1.Recommender\",grpc_method=\"Recommend\""),
            std::string::npos);
  absl::StatusOr<testing::HttpResult> health =
      testing::HttpGet(admin_port, "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ((*server)->Terminate(), 0);
}

}  // namespace
}  // namespace recommender
