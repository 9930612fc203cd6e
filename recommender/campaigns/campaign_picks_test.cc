#include "recommender/campaigns/campaign_picks.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

// Alice owns the kettle and buys coffee, re-bought every 30 days; on day 28
// it is due soon.
std::unique_ptr<const ModelSnapshot> Shop() {
  auto snapshot = ModelSnapshot::FromContents(
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food/coffee", {1, 0}, snapshot::CONSUMABLE, 800,
                   50)
          .AddItem("tea", "food/tea", {0.9f, 0.1f}, snapshot::CONSUMABLE, 600,
                   40)
          .AddItem("kettle", "kitchen/kettles", {0, 1}, snapshot::DURABLE, 5000,
                   100)
          .AddItem("mug", "kitchen/mugs", {0.1f, 0.9f}, snapshot::DURABLE, 900,
                   30)
          .AddItem("cups", "kitchen/mugs", {0.2f, 0.8f}, snapshot::DURABLE, 700,
                   20)
          .AddCustomer("alice", {1, 0},
                       {{"kettle", kStart}, {"coffee", kStart}})
          .SetRepurchaseCycle("coffee", 30)
          .SetRepurchaseCycle("tea", 30)
          .Build());
  EXPECT_TRUE(snapshot.ok());
  return *std::move(snapshot);
}

CampaignDefinition Campaign(PickStrategy strategy, int picks) {
  CampaignDefinition c;
  c.id = "test";
  c.segment = "all";
  CampaignArm arm;
  arm.name = "arm";
  arm.strategy = strategy;
  arm.picks = picks;
  c.arms = {arm};
  return c;
}

std::vector<std::string> Ids(const ModelSnapshot& snapshot,
                             const std::vector<Recommendation>& picks) {
  std::vector<std::string> ids;
  for (const Recommendation& p : picks) ids.push_back(snapshot.item(p.item).id());
  return ids;
}

const absl::Time kAsOf = absl::FromUnixSeconds(kStart + 28 * kDay);

TEST(CampaignPicksTest, PopularSkipsOwnedDurablesAndHonoursTheFilter) {
  auto shop = Shop();
  CampaignDefinition c = Campaign(PickStrategy::kPopular, 3);
  auto picks = PickItems(*shop, c, c.arms[0], "alice", kAsOf);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*shop, *picks), (std::vector<std::string>{"coffee", "tea", "mug"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPopular);
  // Someone new gets the kettle; the price cap and category cap apply.
  c.arms[0].picks = 4;
  c.filter.max_price = 1000;
  c.max_per_category = 1;
  picks = PickItems(*shop, c, c.arms[0], "newcomer", kAsOf);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*shop, *picks), (std::vector<std::string>{"coffee", "tea", "mug"}));
  // Live purchases count as owned.
  LiveContext live;
  live.purchased_items = {*shop->FindItem("mug")};
  c = Campaign(PickStrategy::kPopular, 3);
  picks = PickItems(*shop, c, c.arms[0], "alice", kAsOf, live);
  EXPECT_EQ(Ids(*shop, *picks), (std::vector<std::string>{"coffee", "tea", "cups"}));
}

TEST(CampaignPicksTest, DueReminderLeadsWithTheDueConsumable) {
  auto shop = Shop();
  const CampaignDefinition c = Campaign(PickStrategy::kDueReminder, 3);
  auto picks = PickItems(*shop, c, c.arms[0], "alice", kAsOf);
  ASSERT_TRUE(picks.ok()) << picks.status();
  ASSERT_EQ(picks->size(), 3u);
  EXPECT_EQ(shop->item((*picks)[0].item).id(), "coffee");
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kRepurchaseDue);
  EXPECT_NE((*picks)[0].reason_text.find("every 30 days"), std::string::npos)
      << (*picks)[0].reason_text;
  for (const Recommendation& p : *picks) {
    EXPECT_NE(shop->item(p.item).id(), "kettle");
  }
  // Ten days in, nothing is due: personal picks only.
  picks = PickItems(*shop, c, c.arms[0], "alice",
                    absl::FromUnixSeconds(kStart + 10 * kDay));
  ASSERT_TRUE(picks.ok());
  for (const Recommendation& p : *picks) {
    EXPECT_NE(p.reason, ReasonCode::kRepurchaseDue);
  }
}

TEST(CampaignPicksTest, PersonalizedIsWhatRecommendAnswers) {
  auto shop = Shop();
  const CampaignDefinition c = Campaign(PickStrategy::kPersonalized, 2);
  auto picks = PickItems(*shop, c, c.arms[0], "alice", kAsOf);
  auto expected =
      Recommend(*shop, ArmQuery(c, c.arms[0], "alice", kAsOf), LiveContext());
  ASSERT_TRUE(picks.ok() && expected.ok());
  EXPECT_EQ(Ids(*shop, *picks), Ids(*shop, *expected));
  EXPECT_EQ(picks->size(), 2u);
  // Bad queries are refused as Recommend refuses them.
  CampaignDefinition bad = c;
  bad.filter.max_price = -5;
  EXPECT_EQ(PickItems(*shop, bad, bad.arms[0], "alice", kAsOf).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender::campaigns
