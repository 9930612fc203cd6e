#include "recommender/campaigns/experiment.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

ExperimentDefinition TwoArms() {
  ExperimentDefinition e;
  e.id = "ranker-2026";
  e.name = "Due stage on vs off";
  e.arms = {{"ials", 0.5, {{"repurchase", "off"}}},
            {"full", 0.5, {{"max_per_category", "2"}}}};
  e.control_arm = "ials";
  return e;
}

void ExpectInvalid(const ExperimentDefinition& e, const std::string& prefix) {
  const absl::Status s = ValidateExperiment(e);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(s.message().substr(0, prefix.size()), prefix) << s.message();
}

TEST(ExperimentTest, AValidExperimentPasses) {
  EXPECT_TRUE(ValidateExperiment(TwoArms()).ok());
  EXPECT_EQ(ControlArmIndex(TwoArms()), 0);
}

TEST(ExperimentTest, BadInputNamesTheField) {
  ExperimentDefinition e = TwoArms();
  e.id = "";
  ExpectInvalid(e, "experiment.id: ");
  e = TwoArms();
  e.arms[1].name = "";
  ExpectInvalid(e, "experiment.arms[1].name: must be 1 to 64");
  e = TwoArms();
  e.arms[1].name = "ials";
  ExpectInvalid(e, "experiment.arms[1].name: \"ials\" is taken");
  e = TwoArms();
  e.arms[1].share = 0.4;
  ExpectInvalid(e, "experiment.arms: the arms' shares must sum to 1, got 0.9");
  e = TwoArms();
  e.arms[0].share = 0;
  ExpectInvalid(e, "experiment.arms[0].share: must be in (0, 1]");
  e = TwoArms();
  e.arms[0].settings["ranker"] = "on";
  ExpectInvalid(e, "experiment.arms[0].settings: unknown setting \"ranker\"");
  e = TwoArms();
  e.arms[0].settings["repurchase"] = "maybe";
  ExpectInvalid(e, "experiment.arms[0].settings.repurchase: must be");
  e = TwoArms();
  e.arms[1].settings["max_per_category"] = "-1";
  ExpectInvalid(e, "experiment.arms[1].settings.max_per_category: must be");
  e = TwoArms();
  e.control_arm = "nope";
  ExpectInvalid(e, "experiment.control_arm: \"nope\" is not one of the arms");
  e = TwoArms();
  e.arms.resize(1);
  e.arms[0].share = 1;
  ExpectInvalid(e, "experiment.arms: an experiment has 2 to 10 arms, got 1");
  e = TwoArms();
  e.attribution_window_days = 0;
  ExpectInvalid(e, "experiment.attribution_window_days: ");
  e = TwoArms();
  e.duration_days = 400;
  ExpectInvalid(e, "experiment.duration_days: ");
}

TEST(ExperimentTest, SettingsApplyToTheQuery) {
  absl::StatusOr<ArmSettings> s = ParseArmSettings(
      {{"max_per_category", "3"},
       {"exclude_purchased", "true"},
       {"repurchase", "off"},
       {"repurchase_boost_weight", "2.5"},
       {"in_stock_only", "on"}},
      "settings");
  ASSERT_TRUE(s.ok()) << s.status();
  RecommendQuery query;
  ApplyArmSettings(*s, nullptr, &query);
  EXPECT_EQ(query.max_per_category, 3);
  EXPECT_TRUE(query.exclude_purchased);
  ASSERT_TRUE(query.repurchase.has_value());
  EXPECT_FALSE(query.repurchase->enabled);
  EXPECT_DOUBLE_EQ(query.repurchase->boost_weight, 2.5);
  EXPECT_TRUE(query.filter.in_stock_only);
  // No settings: the request as sent.
  RecommendQuery plain;
  plain.max_per_category = 4;
  ApplyArmSettings(ArmSettings(), nullptr, &plain);
  EXPECT_EQ(plain.max_per_category, 4);
  EXPECT_FALSE(plain.repurchase.has_value());
}

TEST(ExperimentTest, AssignmentIsStableAndFollowsTheShares) {
  ExperimentDefinition e = TwoArms();
  e.arms[0].share = 0.2;
  e.arms[1].share = 0.8;
  const ExperimentAssigner a(e);
  const ExperimentAssigner again(e);
  int first = 0;
  for (int c = 0; c < 20000; ++c) {
    const std::string id = absl::StrCat("C", c);
    const int arm = a.Assign(id);
    ASSERT_EQ(arm, again.Assign(id));
    first += arm == 0;
  }
  EXPECT_NEAR(first / 20000.0, 0.2, 0.015);
  // Pinned: changing the hash would move customers of experiments in
  // flight between arms.
  EXPECT_EQ(a.Assign("C00001"), a.Assign("C00001"));
  int pinned = 0;
  for (const char* id : {"C00001", "C00002", "C00003", "C00004", "C00005",
                         "C00006", "C00007", "C00008"}) {
    pinned = pinned * 2 + a.Assign(id);
  }
  EXPECT_EQ(pinned, 123);
}

TEST(ExperimentTest, RecommendationIdsNameExperimentAndArm) {
  const std::string id = ExperimentRecommendationId("ranker-2026", "ials");
  EXPECT_EQ(id.substr(0, 17), "ranker-2026:ials:");
  EXPECT_EQ(id.size(), 17u + 16u);
  EXPECT_NE(id, ExperimentRecommendationId("ranker-2026", "ials"));
  std::optional<ExperimentArmRef> ref = ParseExperimentRecommendationId(id);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->experiment_id, "ranker-2026");
  EXPECT_EQ(ref->arm, "ials");
  EXPECT_FALSE(ParseExperimentRecommendationId("r-0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(ParseExperimentRecommendationId("winback.0123456789abcdef"));
  EXPECT_FALSE(ParseExperimentRecommendationId("a:b:xyz"));
}

}  // namespace
}  // namespace recommender::campaigns
