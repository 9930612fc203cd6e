#include "recommender/live/live_state.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

events::LogRecord Record(uint64_t sequence,
                         std::vector<std::tuple<std::string, std::string,
                                                events::EventType, int64_t>>
                             events) {
  events::LogRecord record;
  record.set_sequence(sequence);
  for (const auto& [customer, item, type, time] : events) {
    events::LoggedEvent* event = record.add_events();
    event->set_customer_id(customer);
    event->set_item_id(item);
    event->set_type(type);
    event->set_quantity(1);
    event->set_unix_seconds(time);
  }
  return record;
}

TEST(LiveStateTest, EventsComeBackInTimeOrderAfterASequence) {
  LiveState state;
  state.Apply(Record(1, {{"C1", "P1", events::VIEW, 300},
                         {"C2", "P9", events::PURCHASE, 100}}));
  state.Apply(Record(2, {{"C1", "P2", events::PURCHASE, 200},
                         {"C1", "P3", events::EVENT_TYPE_UNSPECIFIED, 250}}));
  std::vector<LiveEvent> events = state.EventsOf("C1", 0);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].item_id, "P2");
  EXPECT_EQ(events[0].type, EventType::kPurchase);
  EXPECT_EQ(events[0].sequence, 2u);
  EXPECT_EQ(events[1].item_id, "P1");
  // Only what is newer than the model's sequence.
  events = state.EventsOf("C1", 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].item_id, "P2");
  EXPECT_TRUE(state.EventsOf("nobody", 0).empty());
  EXPECT_EQ(state.stats().customers, 2);
  EXPECT_EQ(state.stats().events, 3);
}

TEST(LiveStateTest, DropThroughForgetsWhatTheModelHasSeen) {
  LiveState state;
  state.Apply(Record(1, {{"C1", "P1", events::VIEW, 100}}));
  state.Apply(Record(2, {{"C2", "P1", events::VIEW, 100}}));
  state.DropThrough(1);
  EXPECT_TRUE(state.EventsOf("C1", 0).empty());
  EXPECT_EQ(state.EventsOf("C2", 0).size(), 1u);
  EXPECT_EQ(state.stats().customers, 1);
}

TEST(LiveStateTest, ActivityGivesLastPurchaseAndLastEventPerCustomer) {
  LiveState state;
  state.Apply(Record(1, {{"C2", "P1", events::VIEW, 500},
                         {"C1", "P1", events::PURCHASE, 100},
                         {"C1", "P2", events::VIEW, 400}}));
  state.Apply(Record(2, {{"C3", "P1", events::CART, 50}}));
  const std::vector<LiveState::CustomerActivity> activity = state.Activity(0);
  ASSERT_EQ(activity.size(), 3u);
  EXPECT_EQ(activity[0].customer_id, "C1");
  EXPECT_EQ(activity[0].last_purchase, 100);
  EXPECT_EQ(activity[0].last_event, 400);
  EXPECT_EQ(activity[1].customer_id, "C2");
  EXPECT_EQ(activity[1].last_purchase, 0);
  EXPECT_EQ(state.Activity(1).size(), 1u);
}

TEST(LiveStateTest, FullCustomersDropTheirOldestViewFirst) {
  LiveState state(/*max_events_per_customer=*/3);
  state.Apply(Record(1, {{"C1", "bought", events::PURCHASE, 10},
                         {"C1", "old-view", events::VIEW, 20},
                         {"C1", "new-view", events::VIEW, 30},
                         {"C1", "newest", events::VIEW, 40}}));
  const std::vector<LiveEvent> events = state.EventsOf("C1", 0);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].item_id, "bought");
  EXPECT_EQ(events[1].item_id, "new-view");
  EXPECT_EQ(events[2].item_id, "newest");
}

// A heavy buyer's purchases since training outnumber the cap: views and
// carts go first, then purchases repeated later, but the last purchase of
// every item stays (it keeps the item excluded).
TEST(LiveStateTest, FullCustomersKeepTheLastPurchaseOfEveryItem) {
  LiveState state(/*max_events_per_customer=*/3);
  state.Apply(Record(1, {{"C1", "P1", events::PURCHASE, 10},
                         {"C1", "cart", events::CART, 15},
                         {"C1", "P2", events::PURCHASE, 20},
                         {"C1", "P1", events::PURCHASE, 30},
                         {"C1", "view", events::VIEW, 35},
                         {"C1", "P3", events::PURCHASE, 40},
                         {"C1", "P4", events::PURCHASE, 50},
                         {"C1", "P5", events::PURCHASE, 60}}));
  const std::vector<LiveEvent> events = state.EventsOf("C1", 0);
  std::vector<std::pair<std::string, int64_t>> kept;
  for (const LiveEvent& e : events) kept.emplace_back(e.item_id, e.unix_seconds);
  EXPECT_EQ(kept, (std::vector<std::pair<std::string, int64_t>>{
                      {"P2", 20}, {"P1", 30}, {"P3", 40}, {"P4", 50}, {"P5", 60}}));
  // A view still comes and goes.
  state.Apply(Record(2, {{"C1", "view", events::VIEW, 70}}));
  EXPECT_EQ(state.EventsOf("C1", 0).size(), 5u);
  // And a newer model forgets them all.
  state.DropThrough(2);
  EXPECT_TRUE(state.EventsOf("C1", 0).empty());
}

// New customer ids cannot grow the state without bound: past the cap the
// customer updated longest ago goes first, and the memory stays flat.
TEST(LiveStateTest, CustomersPastTheBoundAreForgottenLeastRecentlyUpdatedFirst) {
  constexpr int64_t kMaxCustomers = 16 * 4;  // Four per shard.
  LiveState state(/*max_events_per_customer=*/10, kMaxCustomers);
  state.Apply(Record(1, {{"kept", "P1", events::PURCHASE, 10}}));
  int64_t bytes_at_bound = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "new-customer-with-a-longish-id-" + std::to_string(i);
    state.Apply(Record(2 + i, {{id, "P1", events::VIEW, 100 + i}}));
    // "kept" keeps buying, so it is never the least recently updated.
    if (i % 2 == 0) {
      state.Apply(Record(100000 + i, {{"kept", "P2", events::VIEW, 100 + i}}));
    }
    if (i == 1000) bytes_at_bound = state.stats().bytes;
  }
  const LiveState::Stats stats = state.stats();
  EXPECT_LE(stats.customers, kMaxCustomers);
  EXPECT_GE(stats.customers, kMaxCustomers / 2);
  EXPECT_EQ(stats.evicted_customers, 5001 - stats.customers);
  EXPECT_FALSE(state.EventsOf("kept", 0).empty());
  EXPECT_FALSE(state.EventsOf("new-customer-with-a-longish-id-4999", 0).empty());
  EXPECT_TRUE(state.EventsOf("new-customer-with-a-longish-id-0", 0).empty());
  EXPECT_GT(stats.bytes, 0);
  EXPECT_LT(stats.bytes, bytes_at_bound * 2);
  // A model trained on everything takes it all back.
  state.DropThrough(1000000);
  EXPECT_EQ(state.stats().customers, 0);
  EXPECT_EQ(state.stats().events, 0);
  EXPECT_EQ(state.stats().bytes, 0);
}

TEST(LiveStateTest, ZeroMeansNoBoundOnCustomers) {
  LiveState state(/*max_events_per_customer=*/10, /*max_customers=*/0);
  for (int i = 0; i < 500; ++i) {
    state.Apply(Record(1 + i, {{"C" + std::to_string(i), "P1", events::VIEW, 1}}));
  }
  EXPECT_EQ(state.stats().customers, 500);
  EXPECT_EQ(state.stats().evicted_customers, 0);
}

TEST(LiveStateTest, ARememberedTasteLastsUntilTheCustomersEventsChange) {
  LiveState state;
  state.Apply(Record(1, {{"C1", "P1", events::VIEW, 100}}));
  LiveState::EventsAndTaste first = state.EventsWithTaste("C1", 0, 7);
  ASSERT_EQ(first.events.size(), 1u);
  EXPECT_TRUE(first.remembered_taste.empty());
  const int64_t bytes_before = state.stats().bytes;
  state.RememberTaste("C1", first.generation, 7, 0, {1.0f, 2.0f});
  EXPECT_EQ(state.stats().bytes, bytes_before + 2 * int64_t{sizeof(float)});

  // Same events, model and sequence: remembered.
  LiveState::EventsAndTaste again = state.EventsWithTaste("C1", 0, 7);
  EXPECT_EQ(again.generation, first.generation);
  EXPECT_EQ(again.remembered_taste, (std::vector<float>{1.0f, 2.0f}));
  EXPECT_EQ(again.events.size(), 1u);
  // Another model, or events counted from another sequence: not.
  EXPECT_TRUE(state.EventsWithTaste("C1", 0, 8).remembered_taste.empty());
  EXPECT_TRUE(state.EventsWithTaste("C1", 1, 7).remembered_taste.empty());
  // Another customer's events do not touch it.
  state.Apply(Record(2, {{"C2", "P1", events::VIEW, 100}}));
  EXPECT_FALSE(state.EventsWithTaste("C1", 0, 7).remembered_taste.empty());

  // A new event of the customer: forgotten, bytes back, a new generation,
  // and a taste solved before it came is refused.
  state.Apply(Record(3, {{"C1", "P2", events::PURCHASE, 200}}));
  LiveState::EventsAndTaste after = state.EventsWithTaste("C1", 0, 7);
  EXPECT_TRUE(after.remembered_taste.empty());
  EXPECT_NE(after.generation, first.generation);
  state.RememberTaste("C1", first.generation, 7, 0, {9.0f});
  EXPECT_TRUE(state.EventsWithTaste("C1", 0, 7).remembered_taste.empty());
  state.RememberTaste("C1", after.generation, 7, 0, {3.0f});
  EXPECT_EQ(state.EventsWithTaste("C1", 0, 7).remembered_taste,
            std::vector<float>{3.0f});

  // DropThrough (a new model) forgets every taste.
  state.DropThrough(1);
  LiveState::EventsAndTaste dropped = state.EventsWithTaste("C1", 0, 7);
  EXPECT_TRUE(dropped.remembered_taste.empty());
  EXPECT_EQ(dropped.events.size(), 1u);

  // Erased and seen again: the generation is new, so a taste solved from
  // the erased events is refused.
  state.RememberTaste("C1", dropped.generation, 7, 0, {4.0f});
  EXPECT_EQ(state.Erase("C1"), 1);
  state.Apply(Record(4, {{"C1", "P3", events::VIEW, 300}}));
  LiveState::EventsAndTaste reborn = state.EventsWithTaste("C1", 0, 7);
  EXPECT_TRUE(reborn.remembered_taste.empty());
  EXPECT_NE(reborn.generation, dropped.generation);
  state.RememberTaste("C1", dropped.generation, 7, 0, {4.0f});
  EXPECT_TRUE(state.EventsWithTaste("C1", 0, 7).remembered_taste.empty());
  // A customer without events has nothing to remember.
  state.RememberTaste("nobody", 0, 7, 0, {5.0f});
  EXPECT_TRUE(state.EventsWithTaste("nobody", 0, 7).remembered_taste.empty());
}

TEST(LiveStateTest, ARememberedTasteIsCountedAndFreedWithItsCustomer) {
  LiveState state(/*max_events_per_customer=*/10, /*max_customers=*/0);
  const int64_t empty = state.stats().bytes;
  state.Apply(Record(1, {{"C1", "P1", events::VIEW, 100}}));
  state.RememberTaste("C1", state.EventsWithTaste("C1", 0, 1).generation, 1, 0,
                      std::vector<float>(64, 0.5f));
  EXPECT_GE(state.stats().bytes - empty, 64 * int64_t{sizeof(float)});
  state.Erase("C1");
  EXPECT_EQ(state.stats().bytes, empty);
}

}  // namespace
}  // namespace recommender
