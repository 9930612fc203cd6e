#include "serving/campaign_rpcs.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "recommender/segments/testing_shop.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(segments::kTestingShopEnd);

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  EXPECT_TRUE(CreateDirectories(dir).ok());
  return dir;
}

// The ids of the shop's customers in `region`, in row order: what a
// segment "region = <region>" must select, counted without the segments.
std::vector<std::string> CustomersIn(const ModelSnapshot& shop,
                                     const std::string& region) {
  std::vector<std::string> ids;
  for (int32_t c = 0; c < shop.num_customers(); ++c) {
    if (shop.customer(c).region() == region) ids.push_back(shop.customer(c).id());
  }
  return ids;
}

TEST(CampaignRpcsTest, WithoutAManagerEveryCallIsOff) {
  const CampaignRpcs rpcs(nullptr, nullptr);
  const auto shop = segments::MakeTestingShop(20);
  const absl::Status off =
      absl::FailedPreconditionError("segments and campaigns are off");
  v1::ListSegmentsResponse segments;
  EXPECT_EQ(rpcs.ListSegments(&segments), off);
  v1::SegmentSummary summary;
  EXPECT_EQ(rpcs.GetSegmentSummary(shop, {}, kNow, &summary), off);
  v1::Campaign campaign;
  EXPECT_EQ(rpcs.CreateCampaign({}, &campaign), off);
  v1::ListCampaignsResponse campaigns;
  EXPECT_EQ(rpcs.ListCampaigns(&campaigns), off);
  v1::CampaignReport report;
  EXPECT_EQ(rpcs.GetCampaignReport(*shop, {}, kNow, &report), off);
  v1::UpdateOptOutsResponse opt_outs;
  EXPECT_EQ(rpcs.UpdateOptOuts({}, &opt_outs), off);
  EXPECT_EQ(rpcs.SegmentCustomers(shop, "all", kNow).status(), off);
  EXPECT_EQ(rpcs.PlanCampaignExport(shop, {}, kNow).status(), off);
}

class CampaignRpcsWithManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = TestDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    const std::string segments_file = JoinPath(dir, "segments.txt");
    ASSERT_TRUE(WriteFileDurably(segments_file, "osaka: region = osaka\n").ok());
    campaigns::CampaignManager::Options options;
    options.segments_file = segments_file;
    options.campaign_log_dir = JoinPath(dir, "campaigns");
    options.campaign_log_sync = false;
    absl::StatusOr<std::unique_ptr<campaigns::CampaignManager>> manager =
        campaigns::CampaignManager::Open(options);
    ASSERT_TRUE(manager.ok()) << manager.status();
    manager_ = *std::move(manager);
    rpcs_ = std::make_unique<CampaignRpcs>(manager_.get(), nullptr);
    shop_ = segments::MakeTestingShop(200);
  }

  v1::Campaign Osaka() const {
    v1::Campaign campaign;
    campaign.set_campaign_id("osaka-spring");
    campaign.set_segment("osaka");
    campaign.set_picks_per_customer(2);
    campaign.set_control_share(0);
    v1::CampaignArm* arm = campaign.add_arms();
    arm->set_name("personal");
    arm->set_strategy(v1::PERSONALIZED);
    return campaign;
  }

  std::unique_ptr<campaigns::CampaignManager> manager_;
  std::unique_ptr<CampaignRpcs> rpcs_;
  std::shared_ptr<const ModelSnapshot> shop_;
};

TEST_F(CampaignRpcsWithManagerTest, SegmentsSelectWhatTheirExpressionSays) {
  v1::ListSegmentsResponse list;
  ASSERT_TRUE(rpcs_->ListSegments(&list).ok());
  bool saved = false;
  for (const v1::SegmentDefinition& segment : list.segments()) {
    saved |= segment.name() == "osaka";
  }
  EXPECT_TRUE(saved);

  const std::vector<std::string> osaka = CustomersIn(*shop_, "osaka");
  ASSERT_FALSE(osaka.empty());
  absl::StatusOr<std::vector<std::string>> selected =
      rpcs_->SegmentCustomers(shop_, "osaka", kNow);
  ASSERT_TRUE(selected.ok()) << selected.status();
  EXPECT_EQ(*selected, osaka);

  v1::GetSegmentSummaryRequest request;
  v1::SegmentSummary all;
  ASSERT_TRUE(rpcs_->GetSegmentSummary(shop_, request, kNow, &all).ok());
  EXPECT_EQ(all.segment(), "all");
  EXPECT_EQ(all.customers(), 200);
  EXPECT_EQ(all.as_of(), "2026-01-01T00:00:00Z");
  EXPECT_EQ(all.model_version(), shop_->version());
  request.set_segment("region = osaka");
  v1::SegmentSummary some;
  ASSERT_TRUE(rpcs_->GetSegmentSummary(shop_, request, kNow, &some).ok());
  EXPECT_EQ(some.customers(), static_cast<int64_t>(osaka.size()));

  request.set_segment("r = 9");
  EXPECT_EQ(rpcs_->GetSegmentSummary(shop_, request, kNow, &some).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CampaignRpcsWithManagerTest, CreateListAndExport) {
  v1::CreateCampaignRequest create;
  *create.mutable_campaign() = Osaka();
  v1::Campaign created;
  ASSERT_TRUE(rpcs_->CreateCampaign(create, &created).ok());
  EXPECT_EQ(created.campaign_id(), "osaka-spring");
  v1::ListCampaignsResponse list;
  ASSERT_TRUE(rpcs_->ListCampaigns(&list).ok());
  ASSERT_EQ(list.campaigns_size(), 1);
  EXPECT_EQ(list.campaigns(0).segment(), "osaka");

  // One customer of the segment opts out before the export.
  const std::vector<std::string> osaka = CustomersIn(*shop_, "osaka");
  v1::UpdateOptOutsRequest opt_out;
  opt_out.add_opt_out_customer_ids(osaka[0]);
  v1::UpdateOptOutsResponse opted;
  ASSERT_TRUE(rpcs_->UpdateOptOuts(opt_out, &opted).ok());
  EXPECT_EQ(opted.opted_out(), 1);

  v1::BatchRecommendRequest request;
  request.set_campaign_id("osaka-spring");
  request.set_count(3);  // A campaign's own settings apply: refused.
  EXPECT_EQ(rpcs_->PlanCampaignExport(shop_, request, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.clear_count();
  absl::StatusOr<campaigns::CampaignManager::Export> plan =
      rpcs_->PlanCampaignExport(shop_, request, kNow);
  ASSERT_TRUE(plan.ok()) << plan.status();

  std::vector<v1::BatchRecommendResponse> messages;
  const absl::Status streamed = rpcs_->StreamCampaignExport(
      CallContext(), *shop_, *std::move(plan),
      [&messages](const v1::BatchRecommendResponse& message) {
        messages.push_back(message);
        return true;
      });
  ASSERT_TRUE(streamed.ok()) << streamed;
  // Everyone in the segment but the opted-out one, no control group, then
  // the summary.
  const int64_t mailed = static_cast<int64_t>(osaka.size()) - 1;
  ASSERT_EQ(static_cast<int64_t>(messages.size()), mailed + 1);
  for (int64_t i = 0; i < mailed; ++i) {
    const v1::BatchRecommendResponse& message = messages[i];
    EXPECT_EQ(message.position(), i + 1);
    EXPECT_EQ(message.total(), mailed);
    EXPECT_EQ(message.campaign_id(), "osaka-spring");
    EXPECT_EQ(message.arm(), "personal");
    EXPECT_NE(message.customer_id(), osaka[0]);
    EXPECT_LE(message.items_size(), 2);
  }
  const v1::CampaignExportSummary& summary = messages.back().export_summary();
  EXPECT_EQ(summary.selected(), static_cast<int64_t>(osaka.size()));
  EXPECT_EQ(summary.opted_out(), 1);
  EXPECT_EQ(summary.control(), 0);
  EXPECT_EQ(summary.mailed(), mailed);
}

TEST_F(CampaignRpcsWithManagerTest, OptOutRequestsAreChecked) {
  v1::UpdateOptOutsResponse response;
  absl::Status status = rpcs_->UpdateOptOuts({}, &response);
  EXPECT_EQ(status, absl::InvalidArgumentError(
                        "opt_out_customer_ids, opt_in_customer_ids: give 1 to "
                        "100000 ids in all, got 0"));
  v1::UpdateOptOutsRequest request;
  request.add_opt_out_customer_ids("C0000001");
  request.add_opt_in_customer_ids("C0000002");
  request.add_opt_in_customer_ids("");
  status = rpcs_->UpdateOptOuts(request, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 23), "opt_in_customer_ids[1]:") << status;
  request.mutable_opt_in_customer_ids()->RemoveLast();
  ASSERT_TRUE(rpcs_->UpdateOptOuts(request, &response).ok());
  EXPECT_EQ(response.opted_out(), 1);
  EXPECT_EQ(response.opted_in(), 1);
}

}  // namespace
}  // namespace recommender::serving
