#include "recommender/campaigns/campaign_manager.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/segments/testing_shop.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(segments::kTestingShopEnd);

std::string TestDir(const std::string& name) {
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), name);
  EXPECT_TRUE(RemoveAll(dir).ok());
  return dir;
}

CampaignDefinition Winback() {
  CampaignDefinition c;
  c.id = "winback";
  c.segment = "osaka_at_risk";
  c.picks_per_customer = 2;
  CampaignArm arm;
  arm.name = "personal";
  c.arms = {arm};
  return c;
}

TEST(CampaignManagerTest, SegmentsWorkWithoutCampaigns) {
  const std::string file = JoinPath(TestDir("segments-only"), "segments.txt");
  ASSERT_TRUE(CreateDirectories(file.substr(0, file.rfind('/'))).ok());
  ASSERT_TRUE(WriteFileDurably(file, "osaka_at_risk: at_risk and region = osaka\n").ok());
  CampaignManager::Options options;
  options.segments_file = file;
  auto manager = CampaignManager::Open(options);
  ASSERT_TRUE(manager.ok()) << manager.status();
  EXPECT_FALSE((*manager)->campaigns_enabled());
  EXPECT_EQ((*manager)->library().saved().size(), 1u);
  auto selector = (*manager)->SelectorAt(segments::MakeTestingShop(500), nullptr,
                                         nullptr, kNow);
  ASSERT_TRUE(selector.ok());
  auto expression = (*manager)->ParseSegment("osaka_at_risk", "segment");
  ASSERT_TRUE(expression.ok());
  EXPECT_FALSE((*selector)->Select(*expression)->empty());
  EXPECT_EQ((*manager)->CreateCampaign(Winback(), kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*manager)->Campaigns().status().code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(WriteFileDurably(file, "ok: all\nbad: r = 9\n").ok());
  EXPECT_EQ(CampaignManager::Open(options).status().message(),
            file + ":2: segment bad: at 6: r is 1 to 5, got 9");
  options.segments_file = file + ".missing";
  EXPECT_EQ(CampaignManager::Open(options).status().code(),
            absl::StatusCode::kNotFound);
  options.segments_file.clear();
  options.contact_rules.per_days = 0;
  EXPECT_NE(CampaignManager::Open(options).status().message().find(
                "contact_rules.per_days"),
            absl::string_view::npos);
}

TEST(CampaignManagerTest, CreateExportAndReport) {
  const std::string dir = TestDir("manager");
  const std::string segments_file = JoinPath(dir, "segments.txt");
  const std::string event_log = JoinPath(dir, "events");
  ASSERT_TRUE(CreateDirectories(dir).ok());
  ASSERT_TRUE(WriteFileDurably(segments_file,
                               "osaka_at_risk: at_risk and region = osaka\n")
                  .ok());
  CampaignManager::Options options;
  options.campaign_log_dir = JoinPath(dir, "campaigns");
  options.campaign_log_sync = false;
  options.segments_file = segments_file;
  options.event_log_dir = event_log;
  std::shared_ptr<const ModelSnapshot> shop = segments::MakeTestingShop(3000);
  std::vector<Send> sent;
  {
    auto manager = CampaignManager::Open(options);
    ASSERT_TRUE(manager.ok()) << manager.status();
    absl::StatusOr<StoredCampaign> created =
        (*manager)->CreateCampaign(Winback(), kNow);
    ASSERT_TRUE(created.ok()) << created.status();
    EXPECT_EQ(created->resolved_segment, "at_risk and region = osaka");
    EXPECT_EQ((*manager)->CreateCampaign(Winback(), kNow).status().code(),
              absl::StatusCode::kAlreadyExists);
    CampaignDefinition bad = Winback();
    bad.id = "bad";
    bad.control_share = 2;
    EXPECT_EQ((*manager)->CreateCampaign(bad, kNow).status().message(),
              "campaign.control_share: must be in [0, 0.9], got 2");

    auto selector = (*manager)->SelectorAt(shop, nullptr, nullptr, kNow);
    ASSERT_TRUE(selector.ok());
    absl::StatusOr<CampaignManager::Export> run =
        (*manager)->PlanExport("winback", **selector, kNow);
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_GT(run->plan.sends.size(), 20u);
    for (Send send : run->plan.sends) {
      auto picks = (*manager)->PicksFor(*run, send, *shop, nullptr);
      ASSERT_TRUE(picks.ok()) << picks.status();
      EXPECT_EQ(picks->size(), 2u);
      for (const Recommendation& p : *picks) {
        send.item_ids.push_back(shop->item(p.item).id());
      }
      sent.push_back(std::move(send));
    }
    ASSERT_TRUE((*manager)->RecordSends(*run, sent).ok());
    absl::StatusOr<ExportSummary> summary = (*manager)->FinishExport(*run);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->control() + summary->mailed(),
              static_cast<int64_t>(sent.size()));
    EXPECT_EQ(summary->max_contacts(), 1);
    EXPECT_EQ((*manager)->PlanExport("nope", **selector, kNow).status().code(),
              absl::StatusCode::kNotFound);
    // One export of a campaign at a time; the next may start once it is
    // gone.
    EXPECT_EQ((*manager)->PlanExport("winback", **selector, kNow).status().code(),
              absl::StatusCode::kFailedPrecondition);
    run = absl::InternalError("released");
    absl::StatusOr<CampaignManager::Export> next =
        (*manager)->PlanExport("winback", **selector, kNow);
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(next->plan.counts.already_sent, summary->selected());
  }
  // Purchases in the live event log: every mailed customer buys the first
  // pick two days later; nobody in control does.
  {
    events::EventLogReadSummary summary;
    auto writer = events::EventLogWriter::Open(event_log, {}, {}, &summary);
    ASSERT_TRUE(writer.ok());
    events::LogRecord record;
    for (const Send& send : sent) {
      if (send.arm == ArmAssigner::kControl) continue;
      events::LoggedEvent* e = record.add_events();
      e->set_customer_id(send.customer_id);
      e->set_item_id(send.item_ids[0]);
      e->set_type(events::PURCHASE);
      e->set_quantity(1);
      e->set_unix_seconds(absl::ToUnixSeconds(kNow) + 2 * 86400);
      e->set_unit_price(1000);
    }
    ASSERT_TRUE((*writer)->Append(record).ok());
  }
  auto manager = CampaignManager::Open(options);
  ASSERT_TRUE(manager.ok());
  absl::StatusOr<CampaignReport> report = (*manager)->Report(
      "winback", *shop, kNow + absl::Hours(24 * 30), ReportOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_DOUBLE_EQ(report->arms[0].response_rate.estimate, 1.0);
  EXPECT_DOUBLE_EQ(report->arms[0].revenue_per_customer, 1000);
  EXPECT_EQ(report->control.buyers, 0);
  EXPECT_EQ((*manager)->Campaigns()->size(), 1u);
  EXPECT_EQ((*manager)->Campaigns()->front().exports.size(), 1u);
  EXPECT_EQ((*manager)
                ->Report("nope", *shop, kNow, ReportOptions())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  // Opt-outs are durable and drop customers from the next export.
  ASSERT_TRUE(
      (*manager)->UpdateOptOuts({"C0000002", "C0000003"}, {"C0000003"}, kNow).ok());
  CampaignDefinition everyone = Winback();
  everyone.id = "everyone";
  everyone.segment = "all";
  ASSERT_TRUE((*manager)->CreateCampaign(everyone, kNow).ok());
  auto selector = (*manager)->SelectorAt(shop, nullptr, nullptr, kNow);
  ASSERT_TRUE(selector.ok());
  absl::StatusOr<CampaignManager::Export> run =
      (*manager)->PlanExport("everyone", **selector, kNow + absl::Hours(24 * 30));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->plan.counts.opted_out, 1);
  EXPECT_EQ(run->plan.counts.selected, 3000);
}

}  // namespace
}  // namespace recommender::campaigns
