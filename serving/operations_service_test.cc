#include "serving/operations_service.h"

#include <cstdlib>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

constexpr int64_t kStarted = 1767225600;  // 2026-01-01T00:00:00Z.

class OperationsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(std::getenv("TEST_TMPDIR"),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    models_ = std::make_unique<ModelManager>(dir_, ModelManager::Listener());
  }

  OperationsService Service() {
    OperationsService::Sources sources;
    sources.metrics = &metrics_;
    sources.loads = &loads_;
    sources.models = models_.get();
    sources.health = &health_;
    sources.started_at = absl::FromUnixSeconds(kStarted);
    return OperationsService(sources);
  }

  v1::ServerStatus Status() {
    v1::ServerStatus status;
    const absl::Status result =
        Service().GetServerStatus(CallContext(), v1::GetServerStatusRequest(), &status);
    EXPECT_TRUE(result.ok()) << result;
    return status;
  }

  std::string dir_;
  Metrics metrics_;
  ModelLoadHistory loads_;
  std::unique_ptr<ModelManager> models_;
  HealthReporter health_{"recommender.v1.Recommender"};
};

TEST_F(OperationsServiceTest, NoModelYet) {
  const v1::ServerStatus status = Status();
  EXPECT_EQ(status.started_at(), "2026-01-01T00:00:00Z");
  EXPECT_FALSE(status.now().empty());
  EXPECT_FALSE(status.serving());
  EXPECT_EQ(status.model_version(), 0);
  EXPECT_EQ(status.model_loads_size(), 0);
  EXPECT_EQ(status.methods_size(), 0);
  // The histogram's bucket bounds are always given.
  ASSERT_EQ(status.latency_bucket_bounds_seconds_size(),
            static_cast<int>(Metrics::kLatencyBuckets.size()));
  EXPECT_EQ(status.latency_bucket_bounds_seconds(0), 0.0005);
  EXPECT_EQ(status.latency_bucket_bounds_seconds(13), 10);
}

TEST_F(OperationsServiceTest, TheModelItsLoadsAndTheCalls) {
  ASSERT_TRUE(WriteSnapshot(TestSnapshotBuilder(1)
                                .AddItem("a", "x", {1})
                                .AddCustomer("c", {1})
                                .Build(/*version=*/3),
                            dir_)
                  .ok());
  ASSERT_TRUE(models_->PollOnce().ok());
  health_.SetModelLoaded(true);
  loads_.Refused(4, absl::FromUnixSeconds(kStarted + 120), "bad checksum");
  loads_.Loaded(3, absl::FromUnixSeconds(kStarted + 60));
  metrics_.RecordRpc("/recommender.v1.Recommender/Recommend", "unary", "OK", 0.002);
  metrics_.RecordRpc("/recommender.v1.Recommender/Recommend", "unary", "OK", 0.02);
  metrics_.RecordRpc("/recommender.v1.Recommender/Recommend", "unary",
                     "INVALID_ARGUMENT", 0.0001, Metrics::Transport::kHttp);
  metrics_.AddCallback("recommender_model_version", "Version.",
                       Metrics::Kind::kGauge, [] { return 3.0; });

  const v1::ServerStatus status = Status();
  EXPECT_TRUE(status.serving());
  EXPECT_EQ(status.model_version(), 3);
  ASSERT_EQ(status.model_loads_size(), 2);
  // Newest first, as the history keeps them.
  EXPECT_EQ(status.model_loads(0).version(), 3);
  EXPECT_TRUE(status.model_loads(0).loaded());
  EXPECT_EQ(status.model_loads(0).at(), "2026-01-01T00:01:00Z");
  EXPECT_EQ(status.model_loads(1).version(), 4);
  EXPECT_FALSE(status.model_loads(1).loaded());
  EXPECT_EQ(status.model_loads(1).error(), "bad checksum");

  ASSERT_EQ(status.methods_size(), 2);
  int grpc_calls = 0, http_calls = 0;
  for (const v1::MethodStats& stats : status.methods()) {
    EXPECT_EQ(stats.service(), "recommender.v1.Recommender");
    EXPECT_EQ(stats.method(), "Recommend");
    EXPECT_EQ(stats.latency_buckets_size(),
              static_cast<int>(Metrics::kLatencyBuckets.size()));
    if (stats.transport() == "grpc") {
      EXPECT_EQ(stats.code(), "OK");
      grpc_calls += stats.count();
      EXPECT_EQ(stats.latency_buckets(2), 1);   // <= 2.5 ms: the first.
      EXPECT_EQ(stats.latency_buckets(5), 2);   // <= 25 ms: both.
      EXPECT_NEAR(stats.latency_seconds_sum(), 0.022, 1e-9);
    } else {
      EXPECT_EQ(stats.transport(), "http");
      EXPECT_EQ(stats.code(), "INVALID_ARGUMENT");
      http_calls += stats.count();
    }
  }
  EXPECT_EQ(grpc_calls, 2);
  EXPECT_EQ(http_calls, 1);
  EXPECT_EQ(status.metrics().at("recommender_model_version"), 3);
}

TEST_F(OperationsServiceTest, NotServingWhileDraining) {
  health_.SetModelLoaded(true);
  EXPECT_TRUE(Status().serving());
  health_.StartDraining();
  EXPECT_FALSE(Status().serving());
}

}  // namespace
}  // namespace recommender::serving
