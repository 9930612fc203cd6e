#include "training/sample_data/campaign_mode.h"

#include <cstdlib>
#include <string>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

TEST(CampaignModeTest, RunsPrintTheReportNextToTheTruth) {
  CampaignModeOptions options;
  options.runs = 20;
  options.effect.customers = 5000;
  options.effect.uplift = 0.03;
  options.out_dir = JoinPath(std::getenv("TEST_TMPDIR"), "campaign-mode");
  absl::StatusOr<CampaignModeResult> result = RunCampaignMode(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->runs, 20);
  // Twenty runs of a 95% interval: nearly all cover the truth.
  EXPECT_GE(result->response_covered, 17);
  EXPECT_GE(result->revenue_covered, 17);
  EXPECT_NE(result->text.find("true uplift +3.00 points"), std::string::npos)
      << result->text;
  EXPECT_NE(result->text.find(absl::StrCat("held the true uplift in ",
                                           result->response_covered, " of 20")),
            std::string::npos);
  EXPECT_NE(result->text.find("mailed vs control"), std::string::npos);
  const std::vector<std::string> sends = absl::StrSplit(
      *ReadFileToString(JoinPath(options.out_dir, "campaign_sends.csv")), '\n',
      absl::SkipEmpty());
  EXPECT_EQ(sends.size(), 5001u);
  EXPECT_EQ(sends[0], "customer_id,group,recommendation_id,sent_at,item_ids");
  const std::string events =
      *ReadFileToString(JoinPath(options.out_dir, "campaign_events.csv"));
  EXPECT_NE(events.find(",purchase,"), std::string::npos);
  EXPECT_NE(events.find(",view,"), std::string::npos);
}

TEST(CampaignModeTest, BadSettingsNameTheField) {
  CampaignModeOptions options;
  options.runs = 0;
  EXPECT_EQ(RunCampaignMode(options).status().message(),
            "runs: must be 1 to 10000, got 0");
  options.runs = 1;
  options.effect.control_share = 0.95;
  EXPECT_EQ(RunCampaignMode(options).status().message(),
            "control_share: must be in (0, 0.9], got 0.95");
}

}  // namespace
}  // namespace recommender
