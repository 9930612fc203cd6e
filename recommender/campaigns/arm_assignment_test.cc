#include "recommender/campaigns/arm_assignment.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

CampaignDefinition Campaign(const std::string& id, double control_share,
                            std::vector<double> weights) {
  CampaignDefinition c;
  c.id = id;
  c.control_share = control_share;
  for (size_t i = 0; i < weights.size(); ++i) {
    CampaignArm arm;
    arm.name = absl::StrCat("arm", i);
    arm.weight = weights[i];
    c.arms.push_back(arm);
  }
  return c;
}

TEST(ArmAssignmentTest, TheHashIsPinned) {
  // Changing these would reshuffle every campaign in flight. (Computed
  // independently of this code from the definition in the header.)
  EXPECT_EQ(AssignmentHash("spring", "C0000001"), 0x7a3f14068a50eb35ull);
  EXPECT_EQ(AssignmentHash("", ""), 0x25fc6dd36ce04b20ull);
  EXPECT_EQ(RecommendationId("spring", "C0000001"), "spring.3655d6481a914575");
}

TEST(ArmAssignmentTest, SharesFollowTheControlShareAndWeights) {
  const ArmAssigner assigner(Campaign("winback-2026", 0.1, {2, 1}));
  std::vector<int> counts(3, 0);
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    ++counts[assigner.Assign(absl::StrCat("C", i)) + 1];
  }
  // Binomial standard deviations are ~0.0007 to 0.001 here.
  EXPECT_NEAR(counts[0] / double{n}, 0.1, 0.004);
  EXPECT_NEAR(counts[1] / double{n}, 0.6, 0.004);
  EXPECT_NEAR(counts[2] / double{n}, 0.3, 0.004);
}

TEST(ArmAssignmentTest, StableAndIndependentAcrossCampaigns) {
  const CampaignDefinition a = Campaign("a", 0.5, {1});
  const ArmAssigner first(a), again(a);
  const ArmAssigner other(Campaign("b", 0.5, {1}));
  int both_control = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const std::string id = absl::StrCat("customer-", i);
    ASSERT_EQ(first.Assign(id), again.Assign(id));
    both_control += first.Assign(id) == ArmAssigner::kControl &&
                    other.Assign(id) == ArmAssigner::kControl;
  }
  // Independent: held back in both about a quarter of the time.
  EXPECT_NEAR(both_control / double{n}, 0.25, 0.006);
}

TEST(ArmAssignmentTest, NoControlAndAllControl) {
  const ArmAssigner none(Campaign("x", 0, {1}));
  const ArmAssigner most(Campaign("x", 0.9, {1}));
  int held = 0;
  for (int i = 0; i < 10000; ++i) {
    EXPECT_EQ(none.Assign(absl::StrCat(i)), 0);
    held += most.Assign(absl::StrCat(i)) == ArmAssigner::kControl;
  }
  EXPECT_NEAR(held / 10000.0, 0.9, 0.01);
}

TEST(ArmAssignmentTest, RecommendationIdsNameTheirCampaign) {
  const std::string id = RecommendationId("spring-2026", "alice");
  EXPECT_EQ(CampaignOfRecommendationId(id), "spring-2026");
  EXPECT_EQ(id.size(), std::string("spring-2026").size() + 17);
  EXPECT_NE(RecommendationId("spring-2026", "bob"), id);
  EXPECT_EQ(RecommendationId("spring-2026", "alice"), id);
  EXPECT_EQ(CampaignOfRecommendationId("spring.123"), "");
  EXPECT_EQ(CampaignOfRecommendationId("nodot"), "");
  EXPECT_EQ(CampaignOfRecommendationId(".0123456789abcdef"), "");
  EXPECT_EQ(CampaignOfRecommendationId("x.0123456789abcdeg"), "");
}

}  // namespace
}  // namespace recommender::campaigns
