#include "recommender/live/live_events.h"

#include <cstdlib>

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

}  // namespace
}  // namespace recommender
