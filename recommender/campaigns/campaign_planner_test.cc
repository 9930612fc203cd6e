#include "recommender/campaigns/campaign_planner.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::campaigns {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(segments::kTestingShopEnd);

// Past mail, as the campaign store would tell it.
class FakeLedger : public ContactLedger {
 public:
  bool OptedOut(absl::string_view customer) const override {
    return opted_out.contains(customer);
  }
  bool AlreadySent(absl::string_view campaign,
                   absl::string_view customer) const override {
    return campaign == "spring" && sent.contains(customer);
  }
  int ContactsWithin(absl::string_view customer, int64_t, int64_t,
                     absl::string_view) const override {
    const auto it = contacts.find(customer);
    return it == contacts.end() ? 0 : it->second;
  }

  absl::flat_hash_set<std::string> opted_out;
  absl::flat_hash_set<std::string> sent;
  absl::flat_hash_map<std::string, int> contacts;
};

CampaignDefinition Spring() {
  CampaignDefinition campaign;
  campaign.id = "spring";
  campaign.segment = "region = osaka";
  campaign.control_share = 0.2;
  CampaignArm personal;
  personal.name = "personal";
  personal.weight = 2;
  CampaignArm popular;
  popular.name = "popular";
  popular.strategy = PickStrategy::kPopular;
  campaign.arms = {personal, popular};
  return campaign;
}

class CampaignPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    shop_ = segments::MakeTestingShop(300);
    segments::CustomerFactsOptions options;
    options.as_of = kNow;
    absl::StatusOr<std::unique_ptr<const segments::CustomerFacts>> facts =
        segments::CustomerFacts::Build(shop_, options);
    ASSERT_TRUE(facts.ok()) << facts.status();
    selector_ = std::make_unique<segments::SegmentSelector>(
        std::shared_ptr<const segments::CustomerFacts>(*std::move(facts)));
    segment_ = *segments::ParseSegmentExpression("region = osaka", "segment");
    // The segment's customers, found without the selector.
    for (int32_t c = 0; c < shop_->num_customers(); ++c) {
      if (shop_->customer(c).region() == "osaka") osaka_.push_back(shop_->customer(c).id());
    }
    ASSERT_GT(osaka_.size(), 10u);
    ledger_.opted_out = {osaka_[0]};
    ledger_.sent = {osaka_[1]};
    ledger_.contacts = {{osaka_[2], 1}, {osaka_[3], 0}};
  }

  std::shared_ptr<const ModelSnapshot> shop_;
  std::unique_ptr<segments::SegmentSelector> selector_;
  segments::SegmentExpression segment_;
  std::vector<std::string> osaka_;
  FakeLedger ledger_;
};

TEST_F(CampaignPlannerTest, TheRulesDropCustomersAndTheRestAreSplit) {
  const CampaignDefinition spring = Spring();
  const absl::StatusOr<CampaignPlan> plan =
      PlanCampaign(spring, segment_, *selector_, ContactRules(), ledger_, kNow);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->counts.selected, static_cast<int64_t>(osaka_.size()));
  EXPECT_EQ(plan->counts.opted_out, 1);
  EXPECT_EQ(plan->counts.already_sent, 1);
  EXPECT_EQ(plan->counts.capped, 1);  // One contact, at most one a week.
  EXPECT_EQ(plan->counts.eligible, static_cast<int64_t>(osaka_.size()) - 3);

  // The others, in the segment's order, each in its stable arm.
  ASSERT_EQ(plan->sends.size(), osaka_.size() - 3);
  const ArmAssigner assigner(spring);
  std::vector<int64_t> per_arm(2, 0);
  int64_t control = 0;
  for (size_t i = 0; i < plan->sends.size(); ++i) {
    const Send& send = plan->sends[i];
    EXPECT_EQ(send.customer_id, osaka_[i + 3]);
    EXPECT_EQ(send.arm, assigner.Assign(send.customer_id));
    EXPECT_EQ(send.unix_seconds, segments::kTestingShopEnd);
    EXPECT_TRUE(send.item_ids.empty());
    if (send.arm == ArmAssigner::kControl) {
      ++control;
    } else {
      ++per_arm[send.arm];
    }
  }
  EXPECT_EQ(plan->control, control);
  EXPECT_EQ(plan->per_arm, per_arm);
  EXPECT_EQ(plan->mailed, per_arm[0] + per_arm[1]);
  EXPECT_EQ(plan->control + plan->mailed, plan->counts.eligible);
  // Both arms and the control group get someone from ~50 customers.
  EXPECT_GT(plan->control, 0);
  EXPECT_GT(per_arm[0], 0);
  EXPECT_GT(per_arm[1], 0);
}

TEST_F(CampaignPlannerTest, WithoutACapTheContactedStay) {
  ContactRules no_cap;
  no_cap.max_contacts = 0;
  const absl::StatusOr<CampaignPlan> plan =
      PlanCampaign(Spring(), segment_, *selector_, no_cap, ledger_, kNow);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->counts.capped, 0);
  EXPECT_EQ(plan->sends.size(), osaka_.size() - 2);
}

TEST_F(CampaignPlannerTest, BadRulesAreRefused) {
  ContactRules rules;
  rules.per_days = 0;
  const absl::Status status =
      PlanCampaign(Spring(), segment_, *selector_, rules, ledger_, kNow).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("contact_rules.per_days"), absl::string_view::npos)
      << status;
}

TEST_F(CampaignPlannerTest, SummaryCarriesThePlansCounts) {
  ContactRules rules;
  rules.max_contacts = 2;
  rules.per_days = 14;
  const absl::StatusOr<CampaignPlan> plan =
      PlanCampaign(Spring(), segment_, *selector_, rules, ledger_, kNow);
  ASSERT_TRUE(plan.ok()) << plan.status();
  const ExportSummary summary = SummarizePlan(*plan, "spring", "e1", rules, kNow);
  EXPECT_EQ(summary.campaign_id(), "spring");
  EXPECT_EQ(summary.export_id(), "e1");
  EXPECT_EQ(summary.unix_seconds(), segments::kTestingShopEnd);
  EXPECT_EQ(summary.selected(), static_cast<int64_t>(osaka_.size()));
  EXPECT_EQ(summary.opted_out(), 1);
  EXPECT_EQ(summary.already_sent(), 1);
  EXPECT_EQ(summary.capped(), 0);  // One contact is under two.
  EXPECT_EQ(summary.control(), plan->control);
  EXPECT_EQ(summary.mailed(), plan->mailed);
  EXPECT_EQ(summary.max_contacts(), 2);
  EXPECT_EQ(summary.per_days(), 14);
}

}  // namespace
}  // namespace recommender::campaigns
