#include "recommender/campaigns/campaign_record.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

CampaignDefinition Spring() {
  CampaignDefinition campaign;
  campaign.id = "spring-2026";
  campaign.name = "Spring win-back";
  campaign.segment = "at_risk";
  campaign.picks_per_customer = 4;
  campaign.filter.include_categories = {"food", "kitchen"};
  campaign.filter.exclude_categories = {"food/alcohol"};
  campaign.filter.max_price = 5000;
  campaign.filter.in_stock_only = true;
  campaign.filter.exclude_item_ids = {"gift-card"};
  campaign.max_per_category = 2;
  CampaignArm personal;
  personal.name = "personal";
  personal.weight = 2;
  CampaignArm due;
  due.name = "due";
  due.strategy = PickStrategy::kDueReminder;
  due.picks = 3;
  campaign.arms = {personal, due};
  campaign.control_share = 0.2;
  campaign.attribution_window_days = 21;
  return campaign;
}

TEST(CampaignRecordTest, ToRecordWritesEveryField) {
  const CampaignDefinitionRecord record = ToRecord(Spring());
  EXPECT_EQ(record.id(), "spring-2026");
  EXPECT_EQ(record.name(), "Spring win-back");
  EXPECT_EQ(record.segment(), "at_risk");
  EXPECT_EQ(record.picks_per_customer(), 4);
  EXPECT_EQ(record.filter().include_categories_size(), 2);
  EXPECT_EQ(record.filter().exclude_categories(0), "food/alcohol");
  ASSERT_TRUE(record.filter().has_max_price());
  EXPECT_EQ(record.filter().max_price(), 5000);
  EXPECT_TRUE(record.filter().in_stock_only());
  EXPECT_EQ(record.filter().exclude_item_ids(0), "gift-card");
  EXPECT_EQ(record.max_per_category(), 2);
  ASSERT_EQ(record.arms_size(), 2);
  EXPECT_EQ(record.arms(0).name(), "personal");
  EXPECT_EQ(record.arms(0).strategy(), "personalized");
  EXPECT_EQ(record.arms(0).picks(), 0);  // Unset: the campaign's.
  EXPECT_EQ(record.arms(0).weight(), 2);
  EXPECT_EQ(record.arms(1).strategy(), "due_reminder");
  EXPECT_EQ(record.arms(1).picks(), 3);
  EXPECT_EQ(record.control_share(), 0.2);
  EXPECT_EQ(record.attribution_window_days(), 21);
}

TEST(CampaignRecordTest, RoundTripKeepsTheDefinition) {
  const CampaignDefinition spring = Spring();
  const absl::StatusOr<CampaignDefinition> back = FromRecord(ToRecord(spring));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, spring.id);
  EXPECT_EQ(back->name, spring.name);
  EXPECT_EQ(back->segment, spring.segment);
  EXPECT_EQ(back->picks_per_customer, 4);
  EXPECT_EQ(back->filter.include_categories, spring.filter.include_categories);
  EXPECT_EQ(back->filter.exclude_categories, spring.filter.exclude_categories);
  EXPECT_EQ(back->filter.max_price, std::optional<double>(5000));
  EXPECT_TRUE(back->filter.in_stock_only);
  EXPECT_EQ(back->filter.exclude_item_ids, spring.filter.exclude_item_ids);
  EXPECT_EQ(back->max_per_category, 2);
  ASSERT_EQ(back->arms.size(), 2u);
  EXPECT_EQ(back->arms[0].name, "personal");
  EXPECT_EQ(back->arms[0].strategy, PickStrategy::kPersonalized);
  EXPECT_FALSE(back->arms[0].picks.has_value());
  EXPECT_EQ(back->arms[0].weight, 2);
  EXPECT_EQ(back->arms[1].strategy, PickStrategy::kDueReminder);
  EXPECT_EQ(back->arms[1].picks, std::optional<int>(3));
  EXPECT_EQ(back->control_share, 0.2);
  EXPECT_EQ(back->attribution_window_days, 21);
}

// No price cap stays no price cap (not a cap of 0).
TEST(CampaignRecordTest, AnUnsetMaxPriceStaysUnset) {
  CampaignDefinition campaign = Spring();
  campaign.filter.max_price.reset();
  const CampaignDefinitionRecord record = ToRecord(campaign);
  EXPECT_FALSE(record.filter().has_max_price());
  const absl::StatusOr<CampaignDefinition> back = FromRecord(record);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->filter.max_price.has_value());
}

TEST(CampaignRecordTest, AnUnknownStrategyIsDataLossNamingIt) {
  CampaignDefinitionRecord record = ToRecord(Spring());
  record.mutable_arms(1)->set_strategy("telepathy");
  const absl::StatusOr<CampaignDefinition> back = FromRecord(record);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(back.status().message(),
            "campaign spring-2026: arm due has an unknown strategy \"telepathy\"");
}

}  // namespace
}  // namespace recommender::campaigns
