#include "serving/campaign_conversions.h"

#include <cmath>

#include "gtest/gtest.h"
#include "recommender/segments/segment_selector.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::serving {
namespace {

TEST(CampaignConversionsTest, CampaignDefaultsAndRoundTrip) {
  v1::Campaign campaign;
  campaign.set_campaign_id("spring");
  campaign.set_segment("at_risk");
  v1::CampaignArm* arm = campaign.add_arms();
  arm->set_name("personal");
  v1::CampaignArm* popular = campaign.add_arms();
  popular->set_name("popular");
  popular->set_strategy(v1::POPULAR);
  popular->set_picks(3);
  popular->set_weight(2);
  campaign.mutable_filter()->set_max_price(5000);
  campaigns::CampaignDefinition d = FromProto(campaign);
  EXPECT_EQ(d.picks_per_customer, 5);
  EXPECT_DOUBLE_EQ(d.control_share, 0.1);
  EXPECT_EQ(d.attribution_window_days, 14);
  EXPECT_EQ(d.arms[0].strategy, campaigns::PickStrategy::kPersonalized);
  EXPECT_FALSE(d.arms[0].picks.has_value());
  EXPECT_EQ(d.arms[0].weight, 1);
  EXPECT_EQ(d.arms[1].strategy, campaigns::PickStrategy::kPopular);
  EXPECT_EQ(d.arms[1].picks, 3);
  EXPECT_EQ(d.filter.max_price, 5000);
  // Set explicitly, 0 stays 0 (no control group) and picks 0 stays 0 (an
  // error ValidateCampaign names).
  campaign.set_control_share(0);
  popular->set_picks(0);
  d = FromProto(campaign);
  EXPECT_EQ(d.control_share, 0);
  EXPECT_EQ(d.arms[1].picks, 0);

  campaigns::StoredCampaign stored;
  stored.definition = FromProto(campaign);
  stored.resolved_segment = "at_risk";
  stored.created = absl::FromUnixSeconds(1767225600);
  campaigns::ExportSummary summary;
  summary.set_export_id("export-1");
  summary.set_unix_seconds(1767225600);
  summary.set_capped(7);
  stored.exports.push_back(summary);
  v1::Campaign out;
  ToProto(stored, &out);
  EXPECT_EQ(out.campaign_id(), "spring");
  EXPECT_EQ(out.created_at(), "2026-01-01T00:00:00Z");
  EXPECT_TRUE(out.has_control_share());
  EXPECT_EQ(out.arms(1).strategy(), v1::POPULAR);
  EXPECT_FALSE(out.arms(0).has_picks());
  ASSERT_EQ(out.exports_size(), 1);
  EXPECT_EQ(out.exports(0).capped(), 7);
  EXPECT_EQ(out.exports(0).exported_at(), "2026-01-01T00:00:00Z");
}

TEST(CampaignConversionsTest, SegmentsAndTheGrid) {
  segments::SegmentLibrary library;
  ASSERT_TRUE(library.Add("tokyo", "region = tokyo").ok());
  v1::ListSegmentsResponse list;
  ToProto(library, &list);
  ASSERT_EQ(list.segments_size(), 11);
  EXPECT_EQ(list.segments(0).name(), "champions");
  EXPECT_EQ(list.segments(0).kind(), "rfm");
  EXPECT_EQ(list.segments(0).definition(), "R 5, F 4-5");
  EXPECT_EQ(list.segments(10).kind(), "saved");
  EXPECT_EQ(list.segments(10).definition(), "region = tokyo");

  segments::CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(segments::kTestingShopEnd);
  auto facts =
      segments::CustomerFacts::Build(segments::MakeTestingShop(500), options);
  ASSERT_TRUE(facts.ok());
  segments::SegmentSelector selector(
      std::shared_ptr<const segments::CustomerFacts>(*std::move(facts)));
  const segments::RfmGrid grid = segments::SummarizeRfmGrid(selector);
  v1::SegmentSummary summary;
  ToProto(grid, &summary);
  EXPECT_EQ(summary.customers(), 500);
  ASSERT_EQ(summary.cells_size(), 25);
  EXPECT_EQ(summary.cells(0).recency_score(), 5);
  EXPECT_EQ(summary.cells(0).frequency_score(), 1);
  EXPECT_EQ(summary.cells(0).segment(), "new");
  EXPECT_EQ(summary.cells(0).figures().customers(), grid.cells[4][0].customers);
  ASSERT_EQ(summary.segments_size(), 11);
  EXPECT_EQ(summary.segments(10).segment(), "none");
  EXPECT_FALSE(summary.segments(10).figures().has_mean_lifetime_value());
  EXPECT_TRUE(summary.segments(0).figures().has_mean_lifetime_value());
  EXPECT_EQ(summary.text(), segments::FormatRfmGrid(grid));
}

TEST(CampaignConversionsTest, Report) {
  campaigns::CampaignReport report;
  report.campaign_id = "spring";
  report.attribution_window_days = 14;
  report.purchases_attributed = 12;
  campaigns::GroupFigures arm;
  arm.name = "personal";
  arm.customers = 90;
  arm.response_rate = {0.2, 0.1, 0.3};
  report.arms.push_back(arm);
  report.control.name = "control";
  campaigns::ArmComparison c;
  c.arm = "personal";
  c.measurable = true;
  c.response_uplift = {0.1, 0.02, 0.18};
  c.response_significant = true;
  c.customers_needed = std::nullopt;
  c.verdict = "words";
  report.comparisons.push_back(c);
  v1::CampaignReport out;
  ToProto(report, &out);
  EXPECT_EQ(out.arms(0).customers(), 90);
  EXPECT_EQ(out.arms(0).response_rate().upper(), 0.3);
  EXPECT_EQ(out.comparisons(0).response_uplift().lower(), 0.02);
  EXPECT_FALSE(out.comparisons(0).has_recommended_uplift());
  EXPECT_EQ(out.comparisons(0).customers_needed(), 0);
  EXPECT_EQ(out.purchases_attributed(), 12);
  EXPECT_NE(out.text().find("personal vs control"), std::string::npos);
}

TEST(CampaignConversionsTest, ReportOptionsFromARequestsFields) {
  const campaigns::ReportOptions defaults = ReportOptionsFromProto(0, false, 7);
  EXPECT_DOUBLE_EQ(defaults.confidence, 0.95);
  EXPECT_EQ(defaults.revenue_interval,
            campaigns::ReportOptions::RevenueInterval::kWelch);
  EXPECT_EQ(defaults.bootstrap_seed, 1u);  // Unused without the bootstrap.
  const campaigns::ReportOptions bootstrap = ReportOptionsFromProto(0.9, true, 7);
  EXPECT_DOUBLE_EQ(bootstrap.confidence, 0.9);
  EXPECT_EQ(bootstrap.revenue_interval,
            campaigns::ReportOptions::RevenueInterval::kBootstrap);
  EXPECT_EQ(bootstrap.bootstrap_resamples, 2000);
  EXPECT_EQ(bootstrap.bootstrap_seed, 7u);
}

}  // namespace
}  // namespace recommender::serving
