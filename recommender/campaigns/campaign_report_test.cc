#include "recommender/campaigns/campaign_report.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"

namespace recommender::campaigns {
namespace {

CampaignDefinition Campaign() {
  CampaignDefinition c;
  c.id = "spring";
  c.name = "Spring win-back";
  c.segment = "at_risk";
  CampaignArm arm;
  arm.name = "personal";
  c.arms = {arm};
  return c;
}

// `buyers` of `customers` bought once for `value`; every customer was sent
// (or, for control, would have been sent) 3 picks, and buyers bought one.
void Add(int arm, int customers, int buyers, double value,
         Attribution* attribution) {
  for (int i = 0; i < customers; ++i) {
    CustomerOutcome o;
    o.arm = arm;
    o.picks = 3;
    if (i < buyers) {
      o.bought = true;
      o.orders = i % 4 == 0 ? 2 : 1;
      o.revenue = value * o.orders;
      o.picks_bought = 1;
      o.bought_after_click = arm >= 0 && i % 2 == 0;
    }
    attribution->outcomes.push_back(o);
  }
}

TEST(CampaignReportTest, FiguresAndASignificantUplift) {
  Attribution a;
  Add(0, 9000, 1080, 3000, &a);                     // 12.0%
  Add(ArmAssigner::kControl, 1000, 80, 3000, &a);  // 8.0%
  absl::StatusOr<CampaignReport> report = BuildCampaignReport(Campaign(), a);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->arms.size(), 1u);
  const GroupFigures& arm = report->arms[0];
  EXPECT_EQ(arm.customers, 9000);
  EXPECT_EQ(arm.buyers, 1080);
  EXPECT_DOUBLE_EQ(arm.response_rate.estimate, 0.12);
  // 270 of the 1,080 buyers ordered twice.
  EXPECT_DOUBLE_EQ(arm.repeat_rate, 0.25);
  EXPECT_EQ(arm.orders, 1080 + 270);
  EXPECT_DOUBLE_EQ(arm.orders_per_customer, 1350.0 / 9000);
  EXPECT_DOUBLE_EQ(arm.revenue_per_customer, 1350.0 * 3000 / 9000);
  EXPECT_DOUBLE_EQ(arm.share_of_picks_bought, 1080.0 / 27000);
  EXPECT_EQ(arm.bought_after_click, 540);
  EXPECT_EQ(report->control.customers, 1000);
  EXPECT_EQ(report->control.bought_after_click, 0);
  const ArmComparison& c = report->comparisons[0];
  ASSERT_TRUE(c.measurable);
  const Interval expected = *NewcombeDifferenceInterval(1080, 9000, 80, 1000);
  EXPECT_DOUBLE_EQ(c.response_uplift.lower, expected.lower);
  EXPECT_DOUBLE_EQ(c.response_uplift.upper, expected.upper);
  EXPECT_TRUE(c.response_significant);
  EXPECT_TRUE(c.revenue_significant);
  ASSERT_TRUE(c.recommended_uplift.has_value());
  EXPECT_NEAR(c.recommended_uplift->estimate, 0.04, 1e-12);
  EXPECT_NE(c.verdict.find("\"personal\" raised the response rate: 12.00% of "
                           "mailed customers bought within 14 days, against "
                           "8.00% of the control group (+4.00 points"),
            std::string::npos)
      << c.verdict;
  EXPECT_NE(c.verdict.find("significant at the 5% level"), std::string::npos);
  const std::string text = FormatCampaignReport(*report);
  EXPECT_NE(text.find("personal vs control"), std::string::npos) << text;
  EXPECT_NE(text.find("response uplift  +4.00 points"), std::string::npos);
}

TEST(CampaignReportTest, AnInconclusiveResultClaimsNoEffect) {
  Attribution a;
  Add(0, 900, 54, 2000, &a);                     // 6.0%
  Add(ArmAssigner::kControl, 100, 5, 2000, &a);  // 5.0%
  absl::StatusOr<CampaignReport> report = BuildCampaignReport(Campaign(), a);
  ASSERT_TRUE(report.ok());
  const ArmComparison& c = report->comparisons[0];
  EXPECT_FALSE(c.response_significant);
  EXPECT_TRUE(c.response_uplift.Contains(0));
  EXPECT_EQ(c.verdict.find("raised"), std::string::npos);
  EXPECT_EQ(c.verdict.find(", significant"), std::string::npos);
  EXPECT_NE(c.verdict.find("No clear effect of \"personal\""), std::string::npos)
      << c.verdict;
  EXPECT_NE(c.verdict.find("may be chance"), std::string::npos);
  EXPECT_NE(c.verdict.find("not significant"), std::string::npos);
  // How many customers +1 point at 10% control would take, and the
  // smallest uplift these 1,000 could show.
  ASSERT_TRUE(c.customers_needed.has_value());
  EXPECT_GT(*c.customers_needed, 10000);
  EXPECT_GT(c.minimum_detectable_uplift, 0.01);
  EXPECT_NE(c.verdict.find(absl::StrCat(*c.customers_needed, " customers")),
            std::string::npos);
}

TEST(CampaignReportTest, WithoutControlNothingIsClaimed) {
  Attribution a;
  Add(0, 500, 50, 1000, &a);
  a.sends_with_open_window = 500;
  absl::StatusOr<CampaignReport> report = BuildCampaignReport(Campaign(), a);
  ASSERT_TRUE(report.ok());
  const ArmComparison& c = report->comparisons[0];
  EXPECT_FALSE(c.measurable);
  EXPECT_FALSE(c.response_significant);
  EXPECT_NE(c.verdict.find("cannot be measured"), std::string::npos);
  EXPECT_NE(c.verdict.find("control share of 0"), std::string::npos);
  EXPECT_EQ(report->control.customers, 0);
  EXPECT_EQ(report->control.response_rate.estimate, 0);
}

TEST(CampaignReportTest, BootstrapAndOptions) {
  Attribution a;
  Add(0, 900, 90, 2000, &a);
  Add(ArmAssigner::kControl, 100, 5, 2000, &a);
  a.sends_with_open_window = 10;
  ReportOptions options;
  options.revenue_interval = ReportOptions::RevenueInterval::kBootstrap;
  options.bootstrap_resamples = 1000;
  absl::StatusOr<CampaignReport> report =
      BuildCampaignReport(Campaign(), a, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->revenue_method, "bootstrap");
  EXPECT_NE(report->comparisons[0].verdict.find("still open for 10 customers"),
            std::string::npos);
  options.confidence = 1;
  EXPECT_EQ(BuildCampaignReport(Campaign(), a, options).status().message(),
            "confidence: must be in (0, 1), got 1");
  options.confidence = 0.95;
  options.bootstrap_resamples = 5;
  EXPECT_NE(BuildCampaignReport(Campaign(), a, options)
                .status()
                .message()
                .find("bootstrap_resamples"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender::campaigns
