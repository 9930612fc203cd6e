#include "recommender/live/live_events.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

events::LogRecord Purchase(const std::string& customer,
                           const std::string& item) {
  events::LogRecord record;
  events::LoggedEvent* event = record.add_events();
  event->set_customer_id(customer);
  event->set_item_id(item);
  event->set_type(events::PURCHASE);
  event->set_quantity(1);
  event->set_unix_seconds(1700000000);
  return record;
}

TEST(LiveEventsTest, RecordedEventsAreVisibleAndSurviveReopening) {
  const std::string dir = TestDir("reopen");
  events::EventLogReadSummary recovered;
  {
    auto live = LiveEvents::Open(dir, {}, std::nullopt, &recovered);
    ASSERT_TRUE(live.ok()) << live.status();
    EXPECT_EQ(*(*live)->Record(Purchase("C1", "P1")), 1u);
    EXPECT_EQ(*(*live)->Record(Purchase("C2", "P2")), 2u);
    const std::vector<LiveEvent> events = (*live)->state().EventsOf("C1", 0);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].sequence, 1u);
  }
  // Reopened behind a model trained through sequence 1: only C2's replays.
  auto live = LiveEvents::Open(dir, {}, 1, &recovered);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(recovered.records, 2);
  EXPECT_TRUE((*live)->state().EventsOf("C1", 0).empty());
  EXPECT_EQ((*live)->state().EventsOf("C2", 0).size(), 1u);
  EXPECT_EQ((*live)->log_stats().last_sequence, 2u);
}

TEST(LiveEventsTest, RecommendationIdsSurviveReopening) {
  const std::string dir = TestDir("recommendation_id");
  events::EventLogReadSummary recovered;
  events::LogRecord click = Purchase("C1", "P1");
  click.mutable_events(0)->set_type(events::VIEW);
  click.mutable_events(0)->set_recommendation_id("r-42");
  {
    auto live = LiveEvents::Open(dir, {}, std::nullopt, &recovered);
    ASSERT_TRUE(live.ok()) << live.status();
    ASSERT_TRUE((*live)->Record(click).ok());
    ASSERT_EQ((*live)->state().EventsOf("C1", 0).size(), 1u);
    EXPECT_EQ((*live)->state().EventsOf("C1", 0)[0].recommendation_id, "r-42");
  }
  auto live = LiveEvents::Open(dir, {}, std::nullopt, &recovered);
  ASSERT_TRUE(live.ok()) << live.status();
  const std::vector<LiveEvent> events = (*live)->state().EventsOf("C1", 0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].recommendation_id, "r-42");
  EXPECT_EQ(events[0].type, EventType::kView);
}

TEST(LiveEventsTest, ModelSwapsKeepThePreviousModelsEvents) {
  const std::string dir = TestDir("swap");
  events::EventLogReadSummary recovered;
  auto live = LiveEvents::Open(dir, {}, std::nullopt, &recovered);
  ASSERT_TRUE(live.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*live)->Record(Purchase("C1", "P" + std::to_string(i))).ok());
  }
  (*live)->ModelLoaded(1);  // First model: trained through 1.
  EXPECT_EQ((*live)->state().EventsOf("C1", 0).size(), 2u);
  (*live)->ModelLoaded(3);  // Requests on the first model may still run.
  EXPECT_EQ((*live)->state().EventsOf("C1", 0).size(), 2u);
  (*live)->ModelLoaded(3);
  EXPECT_TRUE((*live)->state().EventsOf("C1", 0).empty());
}

// True if any file in `dir` holds `bytes`.
bool AnyFileHolds(const std::string& dir, const std::string& bytes) {
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  EXPECT_TRUE(names.ok());
  if (!names.ok()) return false;
  for (const std::string& name : *names) {
    absl::StatusOr<std::string> data = ReadFileToString(JoinPath(dir, name));
    if (data.ok() && data->find(bytes) != std::string::npos) return true;
  }
  return false;
}

TEST(LiveEventsTest, ErasureIsDurableAndForgetsTheCustomerEverywhere) {
  const std::string dir = TestDir("erase");
  events::EventLogReadSummary recovered;
  auto erased = std::make_shared<ErasedCustomers>();
  LiveEvents::Options options;
  options.erased = erased;
  {
    auto live = LiveEvents::Open(dir, options, std::nullopt, &recovered);
    ASSERT_TRUE(live.ok()) << live.status();
    ASSERT_TRUE((*live)->Record(Purchase("ERASE-ME-7", "P1")).ok());
    ASSERT_TRUE((*live)->Record(Purchase("ERASE-ME-7", "P2")).ok());
    ASSERT_TRUE((*live)->Record(Purchase("C2", "P2")).ok());
    absl::StatusOr<LiveEvents::ErasureResult> result =
        (*live)->Erase("ERASE-ME-7");
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->sequence, 4u);
    EXPECT_EQ(result->live_events_removed, 2);
    EXPECT_FALSE(result->already_erased);
    EXPECT_TRUE(erased->Contains("ERASE-ME-7"));
    EXPECT_TRUE((*live)->state().EventsOf("ERASE-ME-7", 0).empty());
    // Events recorded for the id afterwards are written but never applied.
    ASSERT_TRUE((*live)->Record(Purchase("ERASE-ME-7", "P3")).ok());
    EXPECT_TRUE((*live)->state().EventsOf("ERASE-ME-7", 0).empty());
    absl::StatusOr<LiveEvents::ErasureResult> again =
        (*live)->Erase("ERASE-ME-7");
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->already_erased);
    EXPECT_EQ(again->sequence, 0u);
    EXPECT_EQ((*live)->Erase(" bad id").status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // Reopened with a fresh set: the tombstone is replayed, the events are not.
  LiveEvents::Options fresh;
  fresh.erased = std::make_shared<ErasedCustomers>();
  auto live = LiveEvents::Open(dir, fresh, std::nullopt, &recovered);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(fresh.erased->Contains("ERASE-ME-7"));
  EXPECT_TRUE((*live)->state().EventsOf("ERASE-ME-7", 0).empty());
  EXPECT_EQ((*live)->state().EventsOf("C2", 0).size(), 1u);
  // Compaction takes the id out of every file of the log.
  ASSERT_TRUE(AnyFileHolds(dir, "ERASE-ME-7"));
  absl::StatusOr<events::CompactionStats> compacted =
      (*live)->Compact(LiveEvents::Retention::kAll);
  ASSERT_TRUE(compacted.ok()) << compacted.status();
  EXPECT_EQ(compacted->events_dropped, 3);
  EXPECT_FALSE(AnyFileHolds(dir, "ERASE-ME-7"));
  EXPECT_TRUE(AnyFileHolds(dir, "C2"));
  EXPECT_EQ((*live)->log_stats().last_sequence, 5u);
}

TEST(LiveEventsTest, UntrainedRetentionDropsWhatTheModelWasTrainedOn) {
  const std::string dir = TestDir("untrained");
  events::EventLogReadSummary recovered;
  auto live = LiveEvents::Open(dir, {}, std::nullopt, &recovered);
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE((*live)->Record(Purchase("TRAINED-1", "P1")).ok());
  ASSERT_TRUE((*live)->Record(Purchase("NEWER-2", "P1")).ok());
  // Nothing to do without a model or erasures.
  absl::StatusOr<events::CompactionStats> none =
      (*live)->Compact(LiveEvents::Retention::kUntrained);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->segments_read, 0);
  (*live)->ModelLoaded(1);
  absl::StatusOr<events::CompactionStats> compacted =
      (*live)->Compact(LiveEvents::Retention::kUntrained);
  ASSERT_TRUE(compacted.ok()) << compacted.status();
  EXPECT_EQ(compacted->events_dropped, 1);
  EXPECT_FALSE(AnyFileHolds(dir, "TRAINED-1"));
  EXPECT_TRUE(AnyFileHolds(dir, "NEWER-2"));
}

}  // namespace
}  // namespace recommender
