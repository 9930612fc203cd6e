// The report's numbers against a known truth: over 100 seeded simulated
// campaigns the 95% intervals must cover the true uplift at least 93
// times, and with no true effect the report may declare one at most 7
// times. (With an exact 95% interval the expected counts are 95 and 5.)
#include "recommender/campaigns/known_effect_simulation.h"

#include <iostream>

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

constexpr int kRuns = 100;

KnownEffect Effect(double uplift, uint64_t seed) {
  KnownEffect e;
  e.customers = 20000;
  e.control_share = 0.1;
  e.base_rate = 0.05;
  e.uplift = uplift;
  e.seed = seed;
  return e;
}

TEST(KnownEffectSimulationTest, TheSimulationDoesWhatItSays) {
  absl::StatusOr<KnownEffectRun> run = SimulateKnownEffect(Effect(0.02, 1));
  ASSERT_TRUE(run.ok()) << run.status();
  const CampaignReport& r = run->report;
  ASSERT_EQ(r.arms.size(), 1u);
  EXPECT_EQ(r.arms[0].customers + r.control.customers, 20000);
  EXPECT_NEAR(static_cast<double>(r.control.customers) / 20000, 0.1, 0.01);
  EXPECT_NEAR(r.control.response_rate.estimate, 0.05, 0.015);
  EXPECT_NEAR(r.arms[0].response_rate.estimate, 0.07, 0.01);
  // Purchases outside the window and duplicates were mixed in and ignored.
  EXPECT_GT(run->attribution.duplicates_removed, 0);
  int64_t outside = 0;
  for (const CustomerEvent& e : run->events) {
    outside += e.item_id == "P999" || e.item_id == "P998";
  }
  EXPECT_GT(outside, 10000);
  EXPECT_EQ(r.sends_with_open_window, 0);
  EXPECT_GT(r.arms[0].bought_after_click, 0);
  EXPECT_EQ(r.control.bought_after_click, 0);
  EXPECT_GT(r.arms[0].share_of_picks_bought, 0);
  EXPECT_DOUBLE_EQ(run->true_revenue_uplift, 0.02 * 3000 * 1.2);
  std::cout << FormatCampaignReport(r);
}

TEST(KnownEffectSimulationTest, IntervalsCoverTheTrueUplift) {
  int response_covered = 0, revenue_covered = 0, detected = 0;
  for (int seed = 1; seed <= kRuns; ++seed) {
    absl::StatusOr<KnownEffectRun> run = SimulateKnownEffect(Effect(0.02, seed));
    ASSERT_TRUE(run.ok()) << run.status();
    const ArmComparison& c = run->report.comparisons[0];
    response_covered += c.response_uplift.Contains(run->true_response_uplift);
    revenue_covered += c.revenue_uplift.Contains(run->true_revenue_uplift);
    detected += c.response_significant;
  }
  std::cout << "uplift 2 points: response interval covered " << response_covered
            << "/" << kRuns << ", revenue interval " << revenue_covered << "/"
            << kRuns << ", effect declared " << detected << "/" << kRuns
            << std::endl;
  EXPECT_GE(response_covered, 93);
  EXPECT_GE(revenue_covered, 93);
  // 2,000 held back: a 2-point uplift on 5% is found most of the time.
  EXPECT_GE(detected, 70);
}

TEST(KnownEffectSimulationTest, NoEffectIsRarelyDeclared) {
  int declared = 0, revenue_declared = 0, covered = 0;
  for (int seed = 1; seed <= kRuns; ++seed) {
    absl::StatusOr<KnownEffectRun> run = SimulateKnownEffect(Effect(0, seed));
    ASSERT_TRUE(run.ok()) << run.status();
    const ArmComparison& c = run->report.comparisons[0];
    declared += c.response_significant;
    revenue_declared += c.revenue_significant;
    covered += c.response_uplift.Contains(0);
    if (!c.response_significant) {
      EXPECT_EQ(c.verdict.find("raised"), std::string::npos) << c.verdict;
      EXPECT_EQ(c.verdict.find("lowered"), std::string::npos) << c.verdict;
    }
  }
  std::cout << "no uplift: effect declared " << declared << "/" << kRuns
            << " (revenue " << revenue_declared << "/" << kRuns << ")"
            << std::endl;
  EXPECT_LE(declared, 7);
  EXPECT_LE(revenue_declared, 7);
  EXPECT_EQ(covered, kRuns - declared);
}

TEST(KnownEffectSimulationTest, BadSettingsNameTheField) {
  KnownEffect e = Effect(0.02, 1);
  e.base_rate = 0.99;
  EXPECT_EQ(SimulateKnownEffect(e).status().message(),
            "base_rate + uplift: must be in [0, 1], got 1.01");
  e = Effect(0.02, 1);
  e.control_share = 0;
  EXPECT_EQ(SimulateKnownEffect(e).status().message(),
            "control_share: must be in (0, 0.9], got 0");
  e = Effect(0.02, 1);
  e.window_days = 0;
  EXPECT_NE(SimulateKnownEffect(e).status().message().find(
                "campaign.attribution_window_days"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender::campaigns
