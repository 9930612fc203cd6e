#include "recommender/campaigns/campaign.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

CampaignDefinition AtRisk() {
  CampaignDefinition c;
  c.id = "winback-2026-03";
  c.name = "Spring win-back";
  c.segment = "at_risk";
  CampaignArm personal;
  personal.name = "personal";
  CampaignArm popular;
  popular.name = "popular";
  popular.strategy = PickStrategy::kPopular;
  popular.picks = 3;
  c.arms = {personal, popular};
  return c;
}

std::string ErrorOf(const CampaignDefinition& c,
                    const segments::SegmentLibrary& library = {}) {
  absl::StatusOr<segments::SegmentExpression> e = ValidateCampaign(c, library);
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(e.status().message());
}

TEST(CampaignTest, AValidCampaignResolvesItsSegment) {
  const CampaignDefinition c = AtRisk();
  absl::StatusOr<segments::SegmentExpression> e = ValidateCampaign(c, {});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(segments::FormatSegmentExpression(*e), "at_risk");
  EXPECT_EQ(PicksOf(c, c.arms[0]), 5);
  EXPECT_EQ(PicksOf(c, c.arms[1]), 3);
  EXPECT_DOUBLE_EQ(c.control_share, 0.1);
  EXPECT_EQ(c.attribution_window_days, 14);
}

TEST(CampaignTest, SavedSegmentsResolve) {
  segments::SegmentLibrary library;
  ASSERT_TRUE(library.Add("tokyo_lapsed", "region = tokyo and lapsed(90)").ok());
  CampaignDefinition c = AtRisk();
  c.segment = "tokyo_lapsed and ltv_decile >= 5";
  absl::StatusOr<segments::SegmentExpression> e = ValidateCampaign(c, library);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->terms.size(), 3u);
}

TEST(CampaignTest, EachBadFieldIsNamed) {
  CampaignDefinition c = AtRisk();
  c.segment = "at_risky";
  EXPECT_EQ(ErrorOf(c),
            "campaign.segment: at 1: unknown segment \"at_risky\" (not an RFM "
            "segment or a saved one)");
  c = AtRisk();
  c.control_share = 0.95;
  EXPECT_EQ(ErrorOf(c), "campaign.control_share: must be in [0, 0.9], got 0.95");
  c.control_share = -0.1;
  EXPECT_EQ(ErrorOf(c), "campaign.control_share: must be in [0, 0.9], got -0.1");
  c = AtRisk();
  c.arms[1].picks = 0;
  EXPECT_EQ(ErrorOf(c), "campaign.arms[1].picks: an arm sends 1 to 100 picks, got 0");
  c = AtRisk();
  c.attribution_window_days = 0;
  EXPECT_EQ(ErrorOf(c),
            "campaign.attribution_window_days: must be 1 to 365 days, got 0");
  c.attribution_window_days = -3;
  EXPECT_EQ(ErrorOf(c),
            "campaign.attribution_window_days: must be 1 to 365 days, got -3");
  c = AtRisk();
  c.arms.clear();
  EXPECT_EQ(ErrorOf(c), "campaign.arms: give 1 to 10 treatment arms, got 0");
  c = AtRisk();
  c.arms[1].name = "control";
  EXPECT_EQ(ErrorOf(c),
            "campaign.arms[1].name: \"control\" is the held-back group's name");
  c.arms[1].name = "personal";
  EXPECT_EQ(ErrorOf(c),
            "campaign.arms[1].name: \"personal\" is used by another arm");
  c = AtRisk();
  c.arms[0].weight = 0;
  EXPECT_EQ(ErrorOf(c), "campaign.arms[0].weight: must be > 0, got 0");
  c = AtRisk();
  c.id = "Spring Sale";
  EXPECT_EQ(ErrorOf(c),
            "campaign.id: \"Spring Sale\" must start with a-z or 0-9");
  c.id = "";
  EXPECT_EQ(ErrorOf(c), "campaign.id: must be 1 to 64 characters, got 0");
  c = AtRisk();
  c.picks_per_customer = 101;
  EXPECT_EQ(ErrorOf(c), "campaign.picks_per_customer: must be 1 to 100, got 101");
  c = AtRisk();
  c.filter.max_price = -1;
  EXPECT_EQ(ErrorOf(c).substr(0, 25), "campaign.filter.max_price");
}

TEST(CampaignTest, StrategiesHaveNames) {
  for (PickStrategy s : {PickStrategy::kPersonalized, PickStrategy::kPopular,
                         PickStrategy::kDueReminder}) {
    EXPECT_EQ(ParsePickStrategy(PickStrategyName(s)), s);
  }
  EXPECT_FALSE(ParsePickStrategy("random").has_value());
}

}  // namespace
}  // namespace recommender::campaigns
