// End to end on the real server, as a shop runs a storefront experiment:
// define it with the CLI (two arms of Recommend's settings, half the
// customers each), send Recommend for every customer (each is served by
// their arm, told so in the response, and exposed durably), send clicks
// and purchases back through RecordEvents with the responses'
// recommendation ids (the treatment arm's customers buy more often), and
// read the report: its counts must be exactly what was sent, its uplift
// interval must cover the true one. Then bad input, and a restart.
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

constexpr double kControlRate = 0.10;
constexpr double kTreatmentRate = 0.30;
constexpr double kPrice = 1200;

std::string Root() { return testing::TestDir("experiments"); }

std::unique_ptr<grpc::ClientContext> Context() {
  return testing::ContextWithDeadline(absl::Seconds(60));
}

// What the test sent, per arm.
struct Sent {
  int64_t exposed = 0;
  int64_t clicked = 0;
  int64_t buyers = 0;
  double revenue = 0;
};

class ExperimentsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::SampleModelOptions options;
    options.customers = 2000;
    options.items = 120;
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root(), options);
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
    auto model = ModelSnapshot::Load(trained->snapshot_dir);
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = model->release();
  }

  static void TearDownTestSuite() {
    delete model_;
    delete model_dir_;
  }

  std::unique_ptr<ServerProcess> StartServer() {
    auto server = ServerProcess::StartServing(
        *model_dir_, {"--event_log_dir=" + JoinPath(Root(), "events"),
                      "--campaign_log_dir=" + JoinPath(Root(), "campaign-log"),
                      "--clock=data_end"});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static grpc::Status Create(ServerProcess& server, const v1::Experiment& e) {
    v1::CreateExperimentRequest request;
    *request.mutable_experiment() = e;
    v1::Experiment created;
    return v1::Recommender::NewStub(server.channel())
        ->CreateExperiment(Context().get(), request, &created);
  }

  static v1::Experiment TwoArms() {
    v1::Experiment e;
    e.set_experiment_id("bad");
    v1::ExperimentArm* a = e.add_arms();
    a->set_name("ials");
    a->set_share(0.5);
    v1::ExperimentArm* b = e.add_arms();
    b->set_name("capped");
    b->set_share(0.5);
    return e;
  }

  static std::string* model_dir_;
  static const ModelSnapshot* model_;
};

std::string* ExperimentsEndToEndTest::model_dir_ = nullptr;
const ModelSnapshot* ExperimentsEndToEndTest::model_ = nullptr;

TEST_F(ExperimentsEndToEndTest, SplitServeAttributeAndReport) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Recommender::NewStub(server->channel());
  const int64_t data_end = absl::ToUnixSeconds(
      *ParseIsoTimestamp(model_->manifest().data_end()));

  // 1. Bad input is refused naming the field.
  v1::Experiment bad = TwoArms();
  bad.mutable_arms(1)->set_share(0.4);
  grpc::Status refused = Create(*server, bad);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind(
                "experiment.arms: the arms' shares must sum to 1, got 0.9", 0),
            0u)
      << refused.error_message();
  bad = TwoArms();
  (*bad.mutable_arms(0)->mutable_settings())["learned_ranker"] = "on";
  refused = Create(*server, bad);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(refused.error_message().rfind(
                "experiment.arms[0].settings: unknown setting "
                "\"learned_ranker\"",
                0),
            0u)
      << refused.error_message();
  bad = TwoArms();
  bad.mutable_arms(1)->set_name("");
  EXPECT_EQ(Create(*server, bad).error_message().rfind(
                "experiment.arms[1].name: ", 0),
            0u);
  v1::GetExperimentReportRequest unknown;
  unknown.set_experiment_id("nope");
  v1::ExperimentReport none;
  grpc::Status not_found =
      stub->GetExperimentReport(Context().get(), unknown, &none);
  EXPECT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(not_found.error_message().find("experiment_id"), std::string::npos);

  // 2. The experiment, created with the CLI: plain iALS picks without the
  // due-consumable stage against picks capped at one per category.
  ASSERT_EQ(std::system(absl::StrCat(
                            "serving/campaigns experiment-create --target=",
                            server->target(),
                            " --id=storefront --name=\"Shelf test\""
                            " --experiment_arms=ials:0.5:repurchase=off,"
                            "capped:0.5:max_per_category=1"
                            " --control_arm=ials >",
                            JoinPath(Root(), "created.txt"))
                            .c_str()),
            0);
  EXPECT_NE(ReadFileToString(JoinPath(Root(), "created.txt"))
                ->find("created experiment storefront"),
            std::string::npos);
  // One at a time.
  v1::Experiment second = TwoArms();
  second.set_experiment_id("second");
  EXPECT_EQ(Create(*server, second).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // 3. Recommend for every customer: each is served by their arm, the same
  // on a second call; an anonymous visitor is not in the experiment.
  absl::flat_hash_map<std::string, v1::RecommendResponse> served;
  absl::flat_hash_map<std::string, Sent> sent;
  for (int32_t row = 0; row < model_->num_customers(); ++row) {
    v1::RecommendRequest request;
    request.set_customer_id(model_->customer(row).id());
    request.set_count(6);
    v1::RecommendResponse response;
    ASSERT_TRUE(stub->Recommend(Context().get(), request, &response).ok());
    ASSERT_EQ(response.experiment_id(), "storefront");
    ASSERT_TRUE(response.experiment_arm() == "ials" ||
                response.experiment_arm() == "capped")
        << response.experiment_arm();
    EXPECT_EQ(response.recommendation_id().rfind(
                  absl::StrCat("storefront:", response.experiment_arm(), ":"), 0),
              0u)
        << response.recommendation_id();
    if (response.experiment_arm() == "capped") {
      absl::flat_hash_set<std::string> categories;
      for (const v1::RecommendedItem& item : response.items()) {
        EXPECT_TRUE(categories.insert(item.category()).second)
            << "two picks of " << item.category() << " in the capped arm";
      }
    }
    ++sent[response.experiment_arm()].exposed;
    served[request.customer_id()] = response;
  }
  for (int32_t row = 0; row < 50; ++row) {
    v1::RecommendRequest request;
    request.set_customer_id(model_->customer(row).id());
    request.set_count(6);
    v1::RecommendResponse again;
    ASSERT_TRUE(stub->Recommend(Context().get(), request, &again).ok());
    EXPECT_EQ(again.experiment_arm(),
              served[request.customer_id()].experiment_arm());
  }
  v1::RecommendRequest visitor;
  visitor.set_count(6);
  visitor.add_recently_viewed_item_ids(model_->item(0).id());
  v1::RecommendResponse anonymous;
  ASSERT_TRUE(stub->Recommend(Context().get(), visitor, &anonymous).ok());
  EXPECT_TRUE(anonymous.experiment_id().empty());
  EXPECT_NE(sent["ials"].exposed, 0);
  EXPECT_NEAR(static_cast<double>(sent["capped"].exposed) /
                  model_->num_customers(),
              0.5, 0.05);

  // 4. Clicks and purchases a day later, with the responses' ids: a
  // buyer clicked first; some click without buying. "capped" customers buy
  // with chance 30%, "ials" ones with 10%.
  std::vector<v1::Event> events;
  for (int32_t row = 0; row < model_->num_customers(); ++row) {
    const std::string id = model_->customer(row).id();
    const v1::RecommendResponse& r = served[id];
    if (r.items_size() == 0) continue;
    Sent& s = sent[r.experiment_arm()];
    const double coin = Coin(id);
    const double rate =
        r.experiment_arm() == "capped" ? kTreatmentRate : kControlRate;
    const bool buys = coin < rate;
    const bool clicks = buys || coin > 0.9;
    const std::string when =
        FormatRfc3339Utc(absl::FromUnixSeconds(data_end + 86400 + row));
    if (clicks) {
      v1::Event click;
      click.set_customer_id(id);
      click.set_item_id(r.items(0).item_id());
      click.set_type(v1::VIEW);
      click.set_timestamp(when);
      click.set_recommendation_id(r.recommendation_id());
      events.push_back(click);
      ++s.clicked;
    }
    if (buys) {
      v1::Event purchase;
      purchase.set_customer_id(id);
      purchase.set_item_id(r.items(0).item_id());
      purchase.set_type(v1::PURCHASE);
      purchase.set_timestamp(when);
      purchase.set_unit_price(kPrice);
      purchase.set_recommendation_id(r.recommendation_id());
      events.push_back(purchase);
      ++s.buyers;
      s.revenue += kPrice;
    }
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

  // 5. The report, the windows closed: exactly what was sent.
  v1::GetExperimentReportRequest request;
  request.set_experiment_id("storefront");
  request.set_as_of(
      FormatRfc3339Utc(absl::FromUnixSeconds(data_end + 30 * 86400)));
  v1::ExperimentReport report;
  ASSERT_TRUE(
      stub->GetExperimentReport(Context().get(), request, &report).ok());
  EXPECT_EQ(report.control_arm(), "ials");
  EXPECT_EQ(report.exposures_with_open_window(), 0);
  ASSERT_EQ(report.arms_size(), 2);
  for (const v1::CampaignGroup& arm : report.arms()) {
    const Sent& s = sent[arm.name()];
    EXPECT_EQ(arm.customers(), s.exposed) << arm.name();
    EXPECT_EQ(arm.clicked(), s.clicked) << arm.name();
    EXPECT_DOUBLE_EQ(arm.click_through(),
                     static_cast<double>(s.clicked) / s.exposed);
    EXPECT_EQ(arm.buyers(), s.buyers) << arm.name();
    EXPECT_DOUBLE_EQ(arm.response_rate().estimate(),
                     static_cast<double>(s.buyers) / s.exposed);
    EXPECT_DOUBLE_EQ(arm.revenue_per_customer(), s.revenue / s.exposed);
    EXPECT_EQ(arm.bought_after_click(), s.buyers);
    // Each bought the first item of their first response.
    EXPECT_EQ(arm.bought_recommended(), s.buyers);
  }
  EXPECT_EQ(report.arms(0).name(), "ials");
  ASSERT_EQ(report.comparisons_size(), 1);
  const v1::ArmComparison& c = report.comparisons(0);
  EXPECT_EQ(c.arm(), "capped");
  const double expected_uplift =
      static_cast<double>(sent["capped"].buyers) / sent["capped"].exposed -
      static_cast<double>(sent["ials"].buyers) / sent["ials"].exposed;
  EXPECT_NEAR(c.response_uplift().estimate(), expected_uplift, 1e-12);
  EXPECT_LE(c.response_uplift().lower(), kTreatmentRate - kControlRate);
  EXPECT_GE(c.response_uplift().upper(), kTreatmentRate - kControlRate);
  EXPECT_TRUE(c.response_significant()) << c.verdict();
  EXPECT_NE(c.verdict().find("\"capped\" raised the response rate"),
            std::string::npos)
      << c.verdict();
  EXPECT_EQ(report.purchases_attributed(),
            sent["capped"].buyers + sent["ials"].buyers);
  std::cout << report.text();

  v1::ListExperimentsResponse list;
  ASSERT_TRUE(stub->ListExperiments(Context().get(), {}, &list).ok());
  ASSERT_EQ(list.experiments_size(), 1);
  EXPECT_EQ(list.experiments(0).exposed_customers(), model_->num_customers());

  // 6. Durable: after a restart, the same arms and the same report.
  ASSERT_EQ(server->Terminate(), 0);
  server = StartServer();
  ASSERT_NE(server, nullptr);
  stub = v1::Recommender::NewStub(server->channel());
  v1::ExperimentReport after;
  ASSERT_TRUE(stub->GetExperimentReport(Context().get(), request, &after).ok());
  EXPECT_EQ(after.text(), report.text());
  v1::RecommendRequest again;
  again.set_customer_id(model_->customer(7).id());
  again.set_count(6);
  v1::RecommendResponse same;
  ASSERT_TRUE(stub->Recommend(Context().get(), again, &same).ok());
  EXPECT_EQ(same.experiment_arm(), served[again.customer_id()].experiment_arm());
  const std::string report_out = JoinPath(Root(), "report.txt");
  ASSERT_EQ(std::system(absl::StrCat("serving/campaigns experiment-report "
                                     "--target=",
                                     server->target(),
                                     " --experiment=storefront --as_of=",
                                     request.as_of(), " >", report_out)
                            .c_str()),
            0);
  EXPECT_NE(ReadFileToString(report_out)->find("capped vs ials"),
            std::string::npos)
      << *ReadFileToString(report_out);
  EXPECT_NE(ReadFileToString(report_out)->find("CTR"), std::string::npos);
}

}  // namespace
}  // namespace recommender
