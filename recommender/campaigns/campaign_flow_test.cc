// One campaign through the whole core, as the server will run it: the RFM
// segment "at_risk" of a generated shop, a 10% control group and a cap of
// one mail per 7 days, picks for each customer, durable sends, purchases
// fed back, attribution and the report; then a second campaign that the
// cap and an opt-out hold back, and a re-export that sends nobody twice.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_picks.h"
#include "recommender/campaigns/campaign_planner.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/campaign_store.h"
#include "recommender/campaigns/splitmix.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/segment_selector.h"
#include "recommender/segments/testing_shop.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kDay = 86400;
const absl::Time kNow = absl::FromUnixSeconds(segments::kTestingShopEnd);

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

CampaignDefinition AtRisk(const std::string& id, const std::string& segment) {
  CampaignDefinition c;
  c.id = id;
  c.name = "Win back the customers at risk";
  c.segment = segment;
  c.picks_per_customer = 3;
  CampaignArm personal;
  personal.name = "personal";
  c.arms = {personal};
  c.control_share = 0.1;
  c.attribution_window_days = 14;
  return c;
}

// Plans, picks and records one export; returns the plan.
CampaignPlan Export(const CampaignDefinition& campaign,
                    const segments::SegmentSelector& selector,
                    CampaignStore* store, absl::Time now,
                    const std::string& export_id) {
  absl::StatusOr<segments::SegmentExpression> segment =
      ValidateCampaign(campaign, segments::SegmentLibrary());
  EXPECT_TRUE(segment.ok()) << segment.status();
  const ContactRules one_per_week{1, 7};
  absl::StatusOr<CampaignPlan> plan =
      PlanCampaign(campaign, *segment, selector, one_per_week, *store, now);
  EXPECT_TRUE(plan.ok()) << plan.status();
  const ModelSnapshot& shop = selector.facts().snapshot();
  for (Send& send : plan->sends) {
    // The control group's would-be picks are those of the first arm.
    const CampaignArm& arm =
        campaign.arms[send.arm == ArmAssigner::kControl ? 0 : send.arm];
    absl::StatusOr<std::vector<Recommendation>> picks =
        PickItems(shop, campaign, arm, send.customer_id, now);
    EXPECT_TRUE(picks.ok()) << picks.status();
    for (const Recommendation& p : *picks) {
      send.item_ids.push_back(shop.item(p.item).id());
    }
  }
  EXPECT_TRUE(store->RecordSends(campaign.id, export_id, plan->sends).ok());
  EXPECT_TRUE(store
                  ->RecordExport(SummarizePlan(*plan, campaign.id, export_id,
                                               one_per_week, now))
                  .ok());
  return *std::move(plan);
}

TEST(CampaignFlowTest, AtRiskCampaignWithControlCapAndReport) {
  std::shared_ptr<const ModelSnapshot> shop = segments::MakeTestingShop(6000);
  segments::CustomerFactsOptions options;
  options.as_of = kNow;
  auto facts = segments::CustomerFacts::Build(shop, options);
  ASSERT_TRUE(facts.ok());
  const segments::SegmentSelector selector(
      std::shared_ptr<const segments::CustomerFacts>(*std::move(facts)));
  const std::string dir = TestDir("flow");
  auto store = CampaignStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();

  // 1. The campaign and its export.
  const CampaignDefinition winback = AtRisk("winback", "at_risk");
  ASSERT_TRUE((*store)->CreateCampaign(winback, "at_risk", kNow).ok());
  const CampaignPlan plan = Export(winback, selector, store->get(), kNow, "e1");
  const int64_t at_risk =
      static_cast<int64_t>(selector.Select(*segments::ParseSegmentExpression(
                                               "at_risk", "s"))
                               ->size());
  EXPECT_GT(at_risk, 500);
  EXPECT_EQ(plan.counts.selected, at_risk);
  EXPECT_EQ(plan.counts.eligible, at_risk);
  EXPECT_EQ(plan.control + plan.mailed, at_risk);
  EXPECT_NEAR(static_cast<double>(plan.control) / at_risk, 0.1, 0.03);
  for (const Send& send : plan.sends) {
    ASSERT_EQ(send.item_ids.size(), 3u) << send.customer_id;
  }

  // 2. Three days later a second campaign to everyone: the mailed of the
  // first are capped (one per 7 days), its control group is not; opted-out
  // customers are dropped first.
  const std::vector<std::string> opted = {plan.sends[0].customer_id,
                                          "C0000001"};
  ASSERT_TRUE((*store)->SetOptOut(opted, true, kNow).ok());
  const CampaignDefinition spring = AtRisk("spring", "all");
  ASSERT_TRUE((*store)->CreateCampaign(spring, "all", kNow).ok());
  const CampaignPlan second =
      Export(spring, selector, store->get(), kNow + absl::Hours(72), "e1");
  EXPECT_EQ(second.counts.selected, 6000);
  EXPECT_EQ(second.counts.opted_out, 2);
  int64_t mailed_not_opted = 0;
  for (const Send& send : plan.sends) {
    mailed_not_opted += send.arm != ArmAssigner::kControl &&
                        std::find(opted.begin(), opted.end(),
                                  send.customer_id) == opted.end();
  }
  EXPECT_EQ(second.counts.capped, mailed_not_opted);
  EXPECT_EQ(second.counts.already_sent, 0);
  // Eight days after the first mail the cap has passed.
  const CampaignDefinition summer = AtRisk("summer", "at_risk");
  ASSERT_TRUE((*store)->CreateCampaign(summer, "at_risk", kNow).ok());
  absl::StatusOr<CampaignPlan> later =
      PlanCampaign(summer, *segments::ParseSegmentExpression("at_risk", "s"),
                   selector, ContactRules{1, 7}, **store, kNow + absl::Hours(24 * 8));
  ASSERT_TRUE(later.ok());
  // Still capped: those the second campaign mailed three days before.
  EXPECT_GT(later->counts.capped, 0);
  EXPECT_LT(later->counts.capped, plan.mailed);

  // 3. A re-export of the first campaign sends nobody twice.
  absl::StatusOr<CampaignPlan> again =
      PlanCampaign(winback, *segments::ParseSegmentExpression("at_risk", "s"),
                   selector, ContactRules{1, 7}, **store, kNow + absl::Hours(1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.already_sent + again->counts.opted_out, at_risk);
  EXPECT_TRUE(again->sends.empty());

  // 4. Purchases fed back: mailed customers buy one of their picks with
  // probability 0.30, the control group with 0.10.
  store->reset();
  store = CampaignStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<Send>> sends = (*store)->SendsOf("winback");
  ASSERT_TRUE(sends.ok());
  ASSERT_EQ(static_cast<int64_t>(sends->size()), at_risk);
  SplitMix64 random(12);
  std::vector<CustomerEvent> events;
  for (const Send& send : *sends) {
    const bool mailed = send.arm != ArmAssigner::kControl;
    if (random.Uniform() >= (mailed ? 0.30 : 0.10)) continue;
    CustomerEvent purchase;
    purchase.customer_id = send.customer_id;
    purchase.item_id = send.item_ids[0];
    purchase.type = EventType::kPurchase;
    purchase.unix_seconds = send.unix_seconds + 2 * kDay;
    purchase.value = 2500;
    if (mailed) {
      CustomerEvent click = purchase;
      click.type = EventType::kView;
      click.value = 0;
      click.unix_seconds -= 60;
      click.recommendation_id = RecommendationId("winback", send.customer_id);
      events.push_back(click);
    }
    events.push_back(purchase);
  }
  const Attribution attribution = AttributePurchases(
      "winback", *sends, events, winback.attribution_window_days,
      kNow + absl::Hours(24 * 20));
  absl::StatusOr<CampaignReport> report =
      BuildCampaignReport(winback, attribution);
  ASSERT_TRUE(report.ok()) << report.status();
  const ArmComparison& c = report->comparisons[0];
  EXPECT_EQ(report->arms[0].customers, plan.mailed);
  EXPECT_EQ(report->control.customers, plan.control);
  EXPECT_TRUE(c.response_significant) << c.verdict;
  EXPECT_TRUE(c.response_uplift.Contains(0.20)) << c.verdict;
  EXPECT_EQ(report->arms[0].bought_after_click, report->arms[0].buyers);
  EXPECT_NEAR(report->arms[0].share_of_picks_bought,
              report->arms[0].response_rate.estimate / 3, 1e-9);
  ASSERT_TRUE(c.recommended_uplift.has_value());
  EXPECT_NEAR(c.recommended_uplift->estimate, c.response_uplift.estimate, 1e-12);
  std::cout << FormatCampaignReport(*report);
}

}  // namespace
}  // namespace recommender::campaigns
