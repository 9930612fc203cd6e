#include "recommender/campaigns/experiment_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kStart = 1772409600;
constexpr int64_t kDay = 86400;

CustomerEvent Purchase(const std::string& customer, int64_t t, double value,
                       std::string recommendation_id = "") {
  CustomerEvent e;
  e.customer_id = customer;
  e.item_id = "P1";
  e.type = EventType::kPurchase;
  e.unix_seconds = t;
  e.value = value;
  e.recommendation_id = std::move(recommendation_id);
  return e;
}

TEST(ExperimentReportTest, FiguresPerArmMatchWhatHappened) {
  ExperimentDefinition e;
  e.id = "shelf";
  e.arms = {{"full", 0.5, {}}, {"ials", 0.5, {{"repurchase", "off"}}}};
  e.control_arm = "ials";  // Not the first arm.
  e.attribution_window_days = 7;
  std::vector<Send> exposures;
  std::vector<CustomerEvent> events;
  // 10 customers per arm; in "full" 4 buy (2 after a click), in "ials" 2.
  for (int c = 0; c < 20; ++c) {
    Send s;
    s.customer_id = absl::StrCat("C", c);
    s.arm = c % 2;
    s.unix_seconds = kStart + c;
    exposures.push_back(s);
  }
  const std::string full_id = ExperimentRecommendationId("shelf", "full");
  for (int c : {0, 2, 4, 6}) {
    const std::string id = absl::StrCat("C", c);
    if (c < 4) {
      CustomerEvent click = Purchase(id, kStart + 100, 0, full_id);
      click.type = EventType::kView;
      events.push_back(click);
    }
    events.push_back(Purchase(id, kStart + 200, 100));
  }
  events.push_back(Purchase("C1", kStart + 200, 50));
  events.push_back(Purchase("C3", kStart + 300, 50));
  // Ignored: before the exposure, after the window, another experiment's
  // click, a customer never exposed.
  events.push_back(Purchase("C5", kStart - 10, 999));
  events.push_back(Purchase("C7", kStart + 7 * kDay + 10, 999));
  CustomerEvent other = Purchase("C9", kStart + 100, 0,
                                 ExperimentRecommendationId("other", "full"));
  other.type = EventType::kView;
  events.push_back(other);
  events.push_back(Purchase("X1", kStart + 100, 999));

  absl::StatusOr<ExperimentReport> report = BuildExperimentReport(
      e, exposures, events, absl::FromUnixSeconds(kStart + 30 * kDay));
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->arms.size(), 2u);
  const GroupFigures& full = report->arms[0];
  const GroupFigures& ials = report->arms[1];
  EXPECT_EQ(report->control_arm, "ials");
  EXPECT_EQ(full.name, "full");
  EXPECT_EQ(ials.name, "ials");
  EXPECT_EQ(full.customers, 10);
  EXPECT_EQ(full.buyers, 4);
  EXPECT_EQ(full.clicked, 2);
  EXPECT_DOUBLE_EQ(full.click_through, 0.2);
  EXPECT_EQ(full.bought_after_click, 2);
  EXPECT_DOUBLE_EQ(full.revenue_per_customer, 40);
  EXPECT_EQ(ials.customers, 10);
  EXPECT_EQ(ials.buyers, 2);
  EXPECT_EQ(ials.clicked, 0);
  EXPECT_DOUBLE_EQ(ials.revenue_per_customer, 10);
  ASSERT_EQ(report->report.comparisons.size(), 1u);
  const ArmComparison& c = report->report.comparisons[0];
  EXPECT_EQ(c.arm, "full");
  EXPECT_TRUE(c.measurable);
  EXPECT_NEAR(c.response_uplift.estimate, 0.2, 1e-12);
  EXPECT_NEAR(c.revenue_uplift.estimate, 30, 1e-9);
  EXPECT_LT(c.response_uplift.lower, 0);  // Ten customers prove nothing.
  EXPECT_NE(c.verdict.find("No clear effect of \"full\""), std::string::npos)
      << c.verdict;
  EXPECT_NE(c.verdict.find("the control arm \"ials\""), std::string::npos)
      << c.verdict;
  const std::string text = FormatExperimentReport(*report);
  EXPECT_NE(text.find("Experiment shelf"), std::string::npos) << text;
  EXPECT_NE(text.find("full vs ials"), std::string::npos) << text;
}

}  // namespace
}  // namespace recommender::campaigns
