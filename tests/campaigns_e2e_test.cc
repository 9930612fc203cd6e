// End to end on the real server, as a shop uses campaigns: look at the RFM
// grid, create an "at risk" campaign with a 10% control group under a cap
// of one mail per 7 days, export it, feed the purchases that followed back
// through RecordEvents (mailed customers buy with a known higher chance
// than the rest), and read the report with its uplift and interval; then
// check the cap, a re-export, opt-outs, bad input and a restart.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"
#include "tests/testing/coin.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::Coin;
using testing::ServerProcess;

constexpr double kBaseRate = 0.10;
constexpr double kMailedRate = 0.35;

std::string Root() { return testing::TestDir("campaigns"); }

std::unique_ptr<grpc::ClientContext> Context() {
  return testing::ContextWithDeadline(absl::Seconds(60));
}

struct Export {
  std::vector<v1::BatchRecommendResponse> mailed;
  v1::CampaignExportSummary summary;
  grpc::Status status;
};

class CampaignsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::SampleModelOptions options;
    options.customers = 3000;
    options.items = 120;
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root(), options);
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
    auto model = ModelSnapshot::Load(trained->snapshot_dir);
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = model->release();
    ASSERT_TRUE(WriteFileDurably(JoinPath(Root(), "segments.txt"),
                                 "# saved segments\n"
                                 "lapsed_regulars: lapsed(60) and f >= 4\n")
                    .ok());
  }

  static void TearDownTestSuite() {
    delete model_;
    delete model_dir_;
  }

  std::unique_ptr<ServerProcess> StartServer() {
    auto server = ServerProcess::StartServing(
        *model_dir_,
        {"--event_log_dir=" + JoinPath(Root(), "events"),
         "--campaign_log_dir=" + JoinPath(Root(), "campaign-log"),
         "--segments_file=" + JoinPath(Root(), "segments.txt"),
         "--max_contacts=1", "--contact_window_days=7", "--clock=data_end"});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static Export RunExport(ServerProcess& server, const std::string& campaign) {
    v1::BatchRecommendRequest request;
    request.set_campaign_id(campaign);
    auto context = Context();
    auto stream =
        v1::Recommender::NewStub(server.channel())->BatchRecommend(context.get(), request);
    testing::StreamResult<v1::BatchRecommendResponse> read =
        testing::ReadToEnd(*stream);
    Export out;
    for (v1::BatchRecommendResponse& message : read.messages) {
      if (message.has_export_summary()) {
        out.summary = message.export_summary();
      } else {
        out.mailed.push_back(std::move(message));
      }
    }
    out.status = read.status;
    return out;
  }

  static grpc::Status Create(ServerProcess& server, const v1::Campaign& campaign,
                             v1::Campaign* created) {
    v1::CreateCampaignRequest request;
    *request.mutable_campaign() = campaign;
    return v1::Recommender::NewStub(server.channel())
        ->CreateCampaign(Context().get(), request, created);
  }

  static v1::Campaign AtRisk(const std::string& id, const std::string& segment) {
    v1::Campaign c;
    c.set_campaign_id(id);
    c.set_name("Win back customers at risk");
    c.set_segment(segment);
    c.set_picks_per_customer(3);
    c.add_arms()->set_name("personal");
    return c;  // Control share and window: the defaults, 10% and 14 days.
  }

  static std::string* model_dir_;
  static const ModelSnapshot* model_;
};

std::string* CampaignsEndToEndTest::model_dir_ = nullptr;
const ModelSnapshot* CampaignsEndToEndTest::model_ = nullptr;

TEST_F(CampaignsEndToEndTest, GridCampaignExportPurchasesAndReport) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Recommender::NewStub(server->channel());
  const int64_t data_end = absl::ToUnixSeconds(*ParseIsoTimestamp(
      model_->manifest().data_end()));

  // 1. The RFM grid, the table a marketer looks at first.
  v1::SegmentSummary grid;
  ASSERT_TRUE(stub->GetSegmentSummary(Context().get(), {}, &grid).ok());
  EXPECT_EQ(grid.customers(), model_->num_customers());
  ASSERT_EQ(grid.cells_size(), 25);
  int64_t at_risk = 0;
  for (const v1::RfmSegmentFigures& s : grid.segments()) {
    if (s.segment() == "at_risk") at_risk = s.figures().customers();
  }
  EXPECT_GT(at_risk, 150);
  EXPECT_NE(grid.text().find("at_risk"), std::string::npos);
  v1::GetSegmentSummaryRequest one;
  one.set_segment("at_risk");
  v1::SegmentSummary at_risk_grid;
  ASSERT_TRUE(stub->GetSegmentSummary(Context().get(), one, &at_risk_grid).ok());
  EXPECT_EQ(at_risk_grid.customers(), at_risk);
  v1::ListSegmentsResponse segments;
  ASSERT_TRUE(stub->ListSegments(Context().get(), {}, &segments).ok());
  EXPECT_EQ(segments.segments(segments.segments_size() - 1).name(),
            "lapsed_regulars");
  // The CLI prints the same grid.
  const std::string grid_out = JoinPath(Root(), "grid.txt");
  ASSERT_EQ(std::system(absl::StrCat("serving/campaigns rfm-grid --target=",
                                     server->target(), " >", grid_out)
                            .c_str()),
            0);
  EXPECT_NE(ReadFileToString(grid_out)->find("cant_lose"), std::string::npos);

  // 2. Bad campaigns are refused naming the field.
  v1::Campaign created;
  v1::Campaign bad = AtRisk("bad", "at_risk");
  bad.set_control_share(0.95);
  grpc::Status refused = Create(*server, bad, &created);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind("campaign.control_share: ", 0), 0u)
      << refused.error_message();
  bad = AtRisk("bad", "at_riks");
  EXPECT_EQ(Create(*server, bad, &created).error_message().rfind(
                "campaign.segment: at 1: unknown segment \"at_riks\"", 0),
            0u);
  bad = AtRisk("bad", "at_risk");
  bad.mutable_arms(0)->set_picks(0);
  EXPECT_EQ(Create(*server, bad, &created).error_message().rfind(
                "campaign.arms[0].picks: ", 0),
            0u);
  bad = AtRisk("bad", "at_risk");
  bad.set_attribution_window_days(-1);
  EXPECT_EQ(Create(*server, bad, &created).error_message().rfind(
                "campaign.attribution_window_days: ", 0),
            0u);

  // 3. The campaign, and its export.
  ASSERT_TRUE(Create(*server, AtRisk("winback", "at_risk"), &created).ok());
  EXPECT_DOUBLE_EQ(created.control_share(), 0.1);
  EXPECT_EQ(Create(*server, AtRisk("winback", "at_risk"), &created).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  const Export first = RunExport(*server, "winback");
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(first.summary.selected(), at_risk);
  EXPECT_EQ(first.summary.capped(), 0);
  EXPECT_EQ(first.summary.control() + first.summary.mailed(), at_risk);
  EXPECT_NEAR(static_cast<double>(first.summary.control()) / at_risk, 0.1, 0.05);
  ASSERT_EQ(static_cast<int64_t>(first.mailed.size()), first.summary.mailed());
  absl::flat_hash_map<std::string, v1::BatchRecommendResponse> mailed;
  for (const v1::BatchRecommendResponse& m : first.mailed) {
    EXPECT_EQ(m.campaign_id(), "winback");
    EXPECT_EQ(m.arm(), "personal");
    EXPECT_EQ(m.recommendation_id().rfind("winback.", 0), 0u);
    ASSERT_EQ(m.items_size(), 3) << m.customer_id();
    for (const v1::RecommendedItem& item : m.items()) {
      EXPECT_FALSE(item.title().empty());
      EXPECT_FALSE(item.category().empty());
      EXPECT_GT(item.price(), 0);
      EXPECT_FALSE(item.reason_text().empty());
    }
    mailed[m.customer_id()] = m;
  }

  // 4. The cap: a second campaign to everyone at the same moment skips
  // every customer the first one mailed (one mail per 7 days), but not its
  // control group.
  ASSERT_TRUE(Create(*server, AtRisk("everyone", "all"), &created).ok());
  const Export second = RunExport(*server, "everyone");
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_EQ(second.summary.selected(), model_->num_customers());
  EXPECT_EQ(second.summary.capped(), first.summary.mailed());
  for (const v1::BatchRecommendResponse& m : second.mailed) {
    EXPECT_FALSE(mailed.contains(m.customer_id())) << m.customer_id();
  }
  // A re-export of the first (here through the exporter) sends nobody twice.
  const std::string again_log = JoinPath(Root(), "again.log");
  ASSERT_EQ(std::system(absl::StrCat("serving/campaign_export --target=",
                                     server->target(),
                                     " --campaign=winback --out=",
                                     JoinPath(Root(), "again.jsonl"), " 2>",
                                     again_log)
                            .c_str()),
            0);
  EXPECT_NE(ReadFileToString(again_log)->find(
                absl::StrCat("segment ", at_risk, " customers: 0 opted out, ",
                             at_risk, " already sent")),
            std::string::npos)
      << *ReadFileToString(again_log);
  EXPECT_TRUE(ReadFileToString(JoinPath(Root(), "again.jsonl"))->empty());

  // 5. The purchases that followed, a day after the send: every customer
  // buys with chance 10%, mailed ones with 35% (after clicking the mail).
  std::vector<v1::Event> events;
  for (int32_t row = 0; row < model_->num_customers(); ++row) {
    const std::string id = model_->customer(row).id();
    auto it = mailed.find(id);
    const bool was_mailed = it != mailed.end();
    if (Coin(id) >= (was_mailed ? kMailedRate : kBaseRate)) continue;
    const std::string when = FormatRfc3339Utc(
        absl::FromUnixSeconds(data_end + 86400 + row));
    v1::Event purchase;
    purchase.set_customer_id(id);
    purchase.set_type(v1::PURCHASE);
    purchase.set_timestamp(when);
    purchase.set_unit_price(1500);
    if (was_mailed) {
      purchase.set_item_id(it->second.items(0).item_id());
      v1::Event click = purchase;
      click.set_type(v1::VIEW);
      click.clear_unit_price();
      click.set_recommendation_id(it->second.recommendation_id());
      events.push_back(click);
    } else {
      purchase.set_item_id(model_->item(row % model_->num_items()).id());
    }
    events.push_back(purchase);
  }
  for (size_t begin = 0; begin < events.size(); begin += 1000) {
    v1::RecordEventsRequest request;
    for (size_t i = begin; i < std::min(events.size(), begin + 1000); ++i) {
      *request.add_events() = events[i];
    }
    v1::RecordEventsResponse response;
    ASSERT_TRUE(stub->RecordEvents(Context().get(), request, &response).ok());
    ASSERT_EQ(response.rejected_size(), 0) << response.rejected(0).message();
  }

  // 6. The report, the windows closed.
  v1::GetCampaignReportRequest report_request;
  report_request.set_campaign_id("winback");
  report_request.set_as_of(
      FormatRfc3339Utc(absl::FromUnixSeconds(data_end + 30 * 86400)));
  v1::CampaignReport report;
  ASSERT_TRUE(stub->GetCampaignReport(Context().get(), report_request, &report).ok());
  ASSERT_EQ(report.arms_size(), 1);
  const v1::CampaignGroup& arm = report.arms(0);
  EXPECT_EQ(arm.customers(), first.summary.mailed());
  EXPECT_EQ(report.control().customers(), first.summary.control());
  EXPECT_EQ(report.sends_with_open_window(), 0);
  EXPECT_NEAR(arm.response_rate().estimate(), kMailedRate, 0.08);
  EXPECT_GT(arm.bought_after_click(), 0);
  EXPECT_EQ(arm.bought_after_click(), arm.buyers());
  EXPECT_EQ(arm.bought_recommended(), arm.buyers());
  EXPECT_DOUBLE_EQ(arm.revenue_per_customer(),
                   1500.0 * arm.buyers() / arm.customers());
  const v1::ArmComparison& c = report.comparisons(0);
  ASSERT_TRUE(c.measurable());
  EXPECT_LT(c.response_uplift().lower(), c.response_uplift().estimate());
  EXPECT_GT(c.response_uplift().upper(), c.response_uplift().estimate());
  // The interval covers the true uplift of 25 points.
  EXPECT_LE(c.response_uplift().lower(), kMailedRate - kBaseRate);
  EXPECT_GE(c.response_uplift().upper(), kMailedRate - kBaseRate);
  EXPECT_TRUE(c.response_significant()) << c.verdict();
  EXPECT_NE(c.verdict().find("\"personal\" raised the response rate"),
            std::string::npos)
      << c.verdict();
  EXPECT_GT(report.purchases_attributed(), 0);
  std::cout << report.text();

  // 7. Durable: after a restart the report is the same.
  ASSERT_EQ(server->Terminate(), 0);
  server = StartServer();
  ASSERT_NE(server, nullptr);
  stub = v1::Recommender::NewStub(server->channel());
  v1::CampaignReport after;
  ASSERT_TRUE(stub->GetCampaignReport(Context().get(), report_request, &after).ok());
  EXPECT_EQ(after.text(), report.text());
  const std::string report_out = JoinPath(Root(), "report.txt");
  ASSERT_EQ(std::system(absl::StrCat("serving/campaigns report --target=",
                                     server->target(),
                                     " --campaign=winback --as_of=",
                                     report_request.as_of(), " >", report_out)
                            .c_str()),
            0);
  EXPECT_EQ(*ReadFileToString(report_out), report.text());

  // 8. Opt-outs: never selected again.
  v1::UpdateOptOutsRequest opt;
  opt.add_opt_out_customer_ids(model_->customer(0).id());
  opt.add_opt_out_customer_ids(model_->customer(1).id());
  v1::UpdateOptOutsResponse opted;
  ASSERT_TRUE(stub->UpdateOptOuts(Context().get(), opt, &opted).ok());
  EXPECT_EQ(opted.opted_out(), 2);
  opt.Clear();
  opt.add_opt_out_customer_ids(" bad id");
  const grpc::Status bad_id = stub->UpdateOptOuts(Context().get(), opt, &opted);
  EXPECT_EQ(bad_id.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_id.error_message().rfind("opt_out_customer_ids[0]: ", 0), 0u);
  ASSERT_TRUE(Create(*server, AtRisk("later", "all"), &created).ok());
  const Export later = RunExport(*server, "later");
  ASSERT_TRUE(later.status.ok());
  EXPECT_EQ(later.summary.opted_out(), 2);
  v1::ListCampaignsResponse list;
  ASSERT_TRUE(stub->ListCampaigns(Context().get(), {}, &list).ok());
  ASSERT_EQ(list.campaigns_size(), 3);
  EXPECT_EQ(list.campaigns(0).exports_size(), 2);  // The export and re-export.
}

TEST_F(CampaignsEndToEndTest, SegmentBatchesAndCampaignsOff) {
  // Without --campaign_log_dir segments still work; campaigns are refused.
  auto server = ServerProcess::StartServing(*model_dir_, {"--clock=data_end"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::Recommender::NewStub((*server)->channel());
  v1::BatchRecommendRequest request;
  request.set_segment("champions and ltv_decile >= 5");
  request.set_count(2);
  auto context = Context();
  auto stream = stub->BatchRecommend(context.get(), request);
  const testing::StreamResult<v1::BatchRecommendResponse> batch =
      testing::ReadToEnd(*stream);
  for (const v1::BatchRecommendResponse& message : batch.messages) {
    EXPECT_EQ(message.items_size(), 2);
    EXPECT_EQ(message.recommendation_id().rfind("r-", 0), 0u);
  }
  ASSERT_TRUE(batch.status.ok());
  EXPECT_GT(batch.messages.size(), 0u);
  request.set_segment("champions and regon = tokyo");
  auto bad_context = Context();
  auto bad = stub->BatchRecommend(bad_context.get(), request);
  const grpc::Status status = testing::ReadToEnd(*bad).status;
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("segment: at 15: unknown field \"regon\"", 0),
            0u)
      << status.error_message();
  v1::Campaign created;
  EXPECT_EQ(Create(**server, AtRisk("x", "all"), &created).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace recommender
