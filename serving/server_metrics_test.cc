#include "serving/server_metrics.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  EXPECT_TRUE(CreateDirectories(dir).ok());
  return dir;
}

std::map<std::string, double> Values(const Metrics& metrics) {
  std::map<std::string, double> values;
  for (const auto& [name, value] : metrics.Snapshot().values) values[name] = value;
  return values;
}

events::LogRecord Purchases(const std::string& customer, int count) {
  events::LogRecord record;
  for (int i = 0; i < count; ++i) {
    events::LoggedEvent* event = record.add_events();
    event->set_customer_id(customer);
    event->set_item_id("P" + std::to_string(i));
    event->set_type(events::PURCHASE);
    event->set_quantity(1);
    event->set_unix_seconds(1700000000 + i);
  }
  return record;
}

TEST(ServerMetricsTest, TheModelInService) {
  const std::string dir = TestDir("models");
  ModelManager models(dir, ModelManager::Listener());
  std::atomic<int64_t> loads{0};
  Metrics metrics;
  RegisterServerMetrics(&models, /*live=*/nullptr, &loads, &metrics);

  std::map<std::string, double> values = Values(metrics);
  EXPECT_EQ(values.at("recommender_model_version"), 0);
  EXPECT_EQ(values.at("recommender_model_age_seconds"), 0);
  EXPECT_EQ(values.at("recommender_model_loads_total"), 0);
  EXPECT_EQ(values.at("recommender_model_load_failures_total"), 0);
  // No event log: no event figures.
  EXPECT_EQ(values.count("recommender_events_appended_total"), 0u);

  // Trained at 2026-01-01T00:00:00Z (the test builder's date).
  ASSERT_TRUE(WriteSnapshot(
                  TestSnapshotBuilder(1).AddItem("a", "x", {1}).Build(5), dir)
                  .ok());
  ASSERT_TRUE(models.PollOnce().ok());
  loads = 1;
  values = Values(metrics);
  EXPECT_EQ(values.at("recommender_model_version"), 5);
  EXPECT_EQ(values.at("recommender_model_loads_total"), 1);
  const double age = absl::ToDoubleSeconds(
      absl::Now() - absl::FromCivil(absl::CivilSecond(2026, 1, 1), absl::UTCTimeZone()));
  EXPECT_NEAR(values.at("recommender_model_age_seconds"), age, 60);
}

TEST(ServerMetricsTest, TheLiveEvents) {
  ModelManager models(TestDir("no_models"), ModelManager::Listener());
  std::atomic<int64_t> loads{0};
  events::EventLogReadSummary recovered;
  absl::StatusOr<std::unique_ptr<LiveEvents>> live =
      LiveEvents::Open(TestDir("log"), {}, std::nullopt, &recovered);
  ASSERT_TRUE(live.ok()) << live.status();
  Metrics metrics;
  RegisterServerMetrics(&models, live->get(), &loads, &metrics);
  ASSERT_TRUE((*live)->Record(Purchases("C1", 2)).ok());
  ASSERT_TRUE((*live)->Record(Purchases("C2", 1)).ok());

  const std::map<std::string, double> values = Values(metrics);
  EXPECT_EQ(values.at("recommender_events_appended_total"), 3);
  EXPECT_EQ(values.at("recommender_event_log_last_sequence"), 2);
  EXPECT_GE(values.at("recommender_event_log_group_commits_total"), 1);
  EXPECT_GT(values.at("recommender_event_log_bytes"), 0);
  EXPECT_EQ(values.at("recommender_live_customers"), 2);
  EXPECT_EQ(values.at("recommender_live_events"), 3);
  EXPECT_GT(values.at("recommender_live_state_bytes"), 0);
  EXPECT_EQ(values.at("recommender_live_customers_evicted_total"), 0);
}

TEST(ServerMetricsTest, TheCallGate) {
  CallGate::Options options;
  options.max_streams = 1;
  CallGate gate(options);
  Metrics metrics;
  RegisterCallGateMetrics(&gate, &metrics);
  gate.CallStarted();
  absl::StatusOr<CallGate::StreamSlot> slot = gate.AcquireStream();
  ASSERT_TRUE(slot.ok());
  EXPECT_FALSE(gate.AcquireStream().ok());  // One stream at most.

  const std::map<std::string, double> values = Values(metrics);
  EXPECT_EQ(values.at("recommender_calls_in_flight"), 1);
  EXPECT_EQ(values.at("recommender_streams_running"), 1);
  EXPECT_EQ(values.at("recommender_streams_refused_total"), 1);
  EXPECT_EQ(values.at("recommender_stream_write_timeouts_total"), 0);
  gate.CallFinished();
}

TEST(ServerMetricsTest, TheCandidateCache) {
  CandidateCache cache(CandidateCache::Options{});
  Metrics metrics;
  RegisterCandidateCacheMetrics(&cache, &metrics);
  CandidateStamp stamp;
  stamp.model_version = 1;
  EXPECT_EQ(cache.Find("C1", 0, stamp), nullptr);  // A miss.
  cache.Insert("C1", 0, stamp, {ScoredItem{0, 1.0f}});
  EXPECT_NE(cache.Find("C1", 0, stamp), nullptr);  // A hit.
  cache.Insert("C2", 0, stamp, {ScoredItem{1, 0.5f}});
  cache.Invalidate("C1");

  const std::map<std::string, double> values = Values(metrics);
  EXPECT_EQ(values.at("recommender_candidate_cache_hits_total"), 1);
  EXPECT_EQ(values.at("recommender_candidate_cache_misses_total"), 1);
  EXPECT_EQ(values.at("recommender_candidate_cache_invalidations_total"), 1);
  EXPECT_EQ(values.at("recommender_candidate_cache_evictions_total"), 0);
  EXPECT_EQ(values.at("recommender_candidate_cache_entries"), 1);
}

}  // namespace
}  // namespace recommender::serving
