#include "recommender/campaigns/attribution.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kSent = 1767225600;
constexpr int64_t kDay = 86400;

Send MakeSend(const std::string& customer, int arm,
              std::vector<std::string> items) {
  Send s;
  s.customer_id = customer;
  s.arm = arm;
  s.item_ids = std::move(items);
  s.unix_seconds = kSent;
  return s;
}

CustomerEvent Purchase(const std::string& customer, const std::string& item,
                       int64_t t, double value) {
  CustomerEvent e;
  e.customer_id = customer;
  e.item_id = item;
  e.type = EventType::kPurchase;
  e.unix_seconds = t;
  e.value = value;
  return e;
}

CustomerEvent Click(const std::string& customer, const std::string& item,
                    int64_t t, const std::string& recommendation_id) {
  CustomerEvent e;
  e.customer_id = customer;
  e.item_id = item;
  e.type = EventType::kView;
  e.unix_seconds = t;
  e.recommendation_id = recommendation_id;
  return e;
}

TEST(AttributionTest, PurchasesInTheWindowCount) {
  const std::vector<Send> sends = {
      MakeSend("alice", 0, {"P1", "P2", "P3"}),
      MakeSend("bob", ArmAssigner::kControl, {"P1", "P4"}),
      MakeSend("carol", 0, {"P5"}),
  };
  const std::vector<CustomerEvent> events = {
      // alice: one checkout of two lines (one order), a second order with
      // a recommended item, and a purchase after the window.
      Purchase("alice", "P9", kSent + kDay, 1000),
      Purchase("alice", "P2", kSent + kDay, 500),
      Purchase("alice", "P2", kSent + 3 * kDay, 500),
      Purchase("alice", "P1", kSent + 14 * kDay, 700),
      // bob (control) buys one of the would-be picks.
      Purchase("bob", "P4", kSent + 13 * kDay, 300),
      // carol bought before the send only.
      Purchase("carol", "P5", kSent - 1, 900),
      // Someone not in the campaign.
      Purchase("zed", "P1", kSent + kDay, 100),
  };
  const Attribution a = AttributePurchases(
      "spring", sends, events, 14, absl::FromUnixSeconds(kSent + 30 * kDay));
  ASSERT_EQ(a.outcomes.size(), 3u);
  const CustomerOutcome& alice = a.outcomes[0];
  EXPECT_TRUE(alice.bought);
  EXPECT_EQ(alice.orders, 2);
  EXPECT_DOUBLE_EQ(alice.revenue, 2000);
  EXPECT_EQ(alice.picks, 3);
  EXPECT_EQ(alice.picks_bought, 1);
  EXPECT_FALSE(alice.bought_after_click);
  EXPECT_FALSE(alice.window_open);
  const CustomerOutcome& bob = a.outcomes[1];
  EXPECT_EQ(bob.arm, ArmAssigner::kControl);
  EXPECT_TRUE(bob.bought);
  EXPECT_EQ(bob.picks_bought, 1);
  EXPECT_FALSE(a.outcomes[2].bought);
  EXPECT_EQ(a.outcomes[2].revenue, 0);
  EXPECT_EQ(a.purchases_attributed, 4);
  EXPECT_EQ(a.sends_with_open_window, 0);
}

TEST(AttributionTest, ClicksCarryingTheRecommendationId) {
  const std::vector<Send> sends = {MakeSend("alice", 0, {"P1"}),
                                   MakeSend("bob", 0, {"P1"}),
                                   MakeSend("carol", 0, {"P1"})};
  const std::string alice_id = RecommendationId("spring", "alice");
  const std::vector<CustomerEvent> events = {
      // alice clicks, then buys something else the same day.
      Click("alice", "P1", kSent + 100, alice_id),
      Purchase("alice", "P7", kSent + 200, 400),
      // bob buys first and clicks afterwards: not via the click.
      Purchase("bob", "P1", kSent + 100, 400),
      Click("bob", "P1", kSent + 200, RecommendationId("spring", "bob")),
      // carol clicks with someone else's id.
      Click("carol", "P1", kSent + 100, alice_id),
      Purchase("carol", "P1", kSent + 200, 400),
  };
  const Attribution a = AttributePurchases(
      "spring", sends, events, 14, absl::FromUnixSeconds(kSent + 30 * kDay));
  EXPECT_TRUE(a.outcomes[0].bought_after_click);
  EXPECT_FALSE(a.outcomes[1].bought_after_click);
  EXPECT_FALSE(a.outcomes[2].bought_after_click);
  EXPECT_EQ(a.outcomes[2].picks_bought, 1);
}

TEST(AttributionTest, DuplicatesCountOnceAndOpenWindowsAreFlagged) {
  const std::vector<Send> sends = {MakeSend("alice", 0, {"P1"})};
  // The same purchase from the live log and from a re-imported export.
  const std::vector<CustomerEvent> events = {
      Purchase("alice", "P1", kSent + kDay, 500),
      Purchase("alice", "P1", kSent + kDay, 500),
  };
  const Attribution a = AttributePurchases(
      "spring", sends, events, 14, absl::FromUnixSeconds(kSent + 5 * kDay));
  EXPECT_DOUBLE_EQ(a.outcomes[0].revenue, 500);
  EXPECT_EQ(a.outcomes[0].orders, 1);
  EXPECT_EQ(a.duplicates_removed, 1);
  EXPECT_TRUE(a.outcomes[0].window_open);
  EXPECT_EQ(a.sends_with_open_window, 1);
}

}  // namespace
}  // namespace recommender::campaigns
