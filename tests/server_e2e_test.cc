// End to end: train on a small generated shop, start the real server binary
// on 127.0.0.1, and talk to it through the generated stub as a storefront
// would.
#include <sys/wait.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/diagnostics.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/listening_ports.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using testing::ServerProcess;

std::string Root() { return testing::TestDir("e2e"); }

// Trains one model shared by all tests of the suite.
std::string TrainModel(const std::string& model_dir) {
  absl::StatusOr<std::string> snapshot =
      testing::TrainSampleModel(JoinPath(Root(), "data"), model_dir);
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
  return snapshot.ok() ? *snapshot : "";
}

std::unique_ptr<grpc::ClientContext> Context() {
  return testing::ContextWithDeadline(absl::Seconds(10));
}

class ServerEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RemoveAll(Root()).IgnoreError();
    model_dir_ = new std::string(JoinPath(Root(), "models"));
    snapshot_dir_ = new std::string(TrainModel(*model_dir_));
    // "Now" is the end of the sample data, not today's date.
    auto server = ServerProcess::StartServing(
        *model_dir_, {"--clock=data_end", "--enable_diagnostics"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete model_dir_;
    delete snapshot_dir_;
  }

  std::unique_ptr<v1::Recommender::Stub> Stub() const {
    return v1::Recommender::NewStub(server_->channel());
  }

  static ServerProcess* server_;
  static std::string* model_dir_;
  static std::string* snapshot_dir_;
};

ServerProcess* ServerEndToEndTest::server_ = nullptr;
std::string* ServerEndToEndTest::model_dir_ = nullptr;
std::string* ServerEndToEndTest::snapshot_dir_ = nullptr;

TEST_F(ServerEndToEndTest, HealthIsServingForServerAndService) {
  EXPECT_EQ(server_->Health(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(server_->Health("recommender.v1.Recommender"),
            HealthCheckResponse::SERVING);
}

// The latency floor of the load generator: served by the same process,
// with --enable_diagnostics, for small payloads only.
TEST_F(ServerEndToEndTest, DiagnosticsEchoReturnsThePayload) {
  auto stub = v1::Diagnostics::NewStub(server_->channel());
  v1::EchoRequest request;
  request.set_payload("ping");
  v1::EchoResponse response;
  const grpc::Status status = stub->Echo(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.payload(), "ping");
  request.set_payload(std::string(1025, 'x'));
  const grpc::Status large = stub->Echo(Context().get(), request, &response);
  EXPECT_EQ(large.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(large.error_message(), "payload: at most 1024 bytes, got 1025");
}

TEST_F(ServerEndToEndTest, RecommendReturnsPersonalPicksWithReasons) {
  v1::RecommendRequest request;
  request.set_customer_id("C00001");
  request.set_count(10);
  v1::RecommendResponse response;
  const grpc::Status status = Stub()->Recommend(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.items_size(), 10);
  EXPECT_GT(response.model_version(), 0);
  EXPECT_FALSE(response.recommendation_id().empty());
  absl::flat_hash_set<std::string> ids;
  for (const v1::RecommendedItem& item : response.items()) {
    EXPECT_TRUE(item.reason() == v1::REASON_PERSONALIZED ||
                item.reason() == v1::REASON_REPURCHASE_DUE)
        << item.reason();
    EXPECT_FALSE(item.reason_text().empty());
    EXPECT_FALSE(item.title().empty());
    ids.insert(item.item_id());
  }
  EXPECT_EQ(ids.size(), 10u);
  for (int i = 1; i < response.items_size(); ++i) {
    EXPECT_GE(response.items(i - 1).score(), response.items(i).score());
  }
}

// For every customer who owns durables, none of them comes back.
TEST_F(ServerEndToEndTest, OwnedDurablesAreNeverRecommended) {
  auto model = ModelSnapshot::Load(*snapshot_dir_);
  ASSERT_TRUE(model.ok());
  auto stub = Stub();
  int customers_checked = 0;
  for (int32_t c = 0; c < (*model)->num_customers(); ++c) {
    const snapshot::Customer& customer = (*model)->customer(c);
    absl::flat_hash_set<std::string> owned_durables;
    for (int32_t item : customer.purchased_items()) {
      if ((*model)->item(item).durability() == snapshot::DURABLE) {
        owned_durables.insert((*model)->item(item).id());
      }
    }
    if (owned_durables.empty()) continue;
    v1::RecommendRequest request;
    request.set_customer_id(customer.id());
    request.set_count(30);
    v1::RecommendResponse response;
    ASSERT_TRUE(stub->Recommend(Context().get(), request, &response).ok());
    ASSERT_EQ(response.items_size(), 30);
    for (const v1::RecommendedItem& item : response.items()) {
      EXPECT_FALSE(owned_durables.contains(item.item_id()))
          << customer.id() << " owns " << item.item_id();
    }
    ++customers_checked;
  }
  EXPECT_GT(customers_checked, 100);
}

TEST_F(ServerEndToEndTest, FiltersAreApplied) {
  v1::RecommendRequest request;
  request.set_customer_id("C00002");
  request.set_count(20);
  request.mutable_filter()->add_include_categories("food");
  request.mutable_filter()->set_max_price(1500);
  request.mutable_filter()->set_in_stock_only(true);
  v1::RecommendResponse response;
  ASSERT_TRUE(Stub()->Recommend(Context().get(), request, &response).ok());
  ASSERT_GT(response.items_size(), 0);
  for (const v1::RecommendedItem& item : response.items()) {
    EXPECT_EQ(item.category().rfind("food/", 0), 0u) << item.category();
    EXPECT_LE(item.price(), 1500);
  }

  v1::SimilarItemsRequest similar;
  similar.set_item_id("P00001");
  similar.set_count(5);
  similar.mutable_filter()->add_exclude_categories("kitchen");
  v1::SimilarItemsResponse similar_response;
  ASSERT_TRUE(
      Stub()->SimilarItems(Context().get(), similar, &similar_response).ok());
  ASSERT_EQ(similar_response.items_size(), 5);
  for (const v1::RecommendedItem& item : similar_response.items()) {
    EXPECT_NE(item.item_id(), "P00001");
    EXPECT_NE(item.category().rfind("kitchen", 0), 0u);
    EXPECT_EQ(item.reason(), v1::REASON_SIMILAR_ITEM);
  }
}

TEST_F(ServerEndToEndTest, UnknownCustomerGetsPopularItems) {
  v1::RecommendRequest request;
  request.set_customer_id("visitor-never-seen");
  request.set_count(5);
  v1::RecommendResponse response;
  ASSERT_TRUE(Stub()->Recommend(Context().get(), request, &response).ok());
  ASSERT_EQ(response.items_size(), 5);
  EXPECT_EQ(response.items(0).reason(), v1::REASON_POPULAR);
  EXPECT_NE(response.items(0).reason_text().find("popular"), std::string::npos);
}

TEST_F(ServerEndToEndTest, EachInvalidArgumentNamesItsField) {
  auto stub = Stub();
  struct Case {
    std::string name;
    v1::RecommendRequest request;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({"empty id", {}, "customer_id"});
  cases.back().request.set_count(5);
  cases.push_back({"zero count", {}, "count"});
  cases.back().request.set_customer_id("C00001");
  cases.push_back({"negative count", {}, "count"});
  cases.back().request.set_customer_id("C00001");
  cases.back().request.set_count(-4);
  cases.push_back({"count above maximum", {}, "count"});
  cases.back().request.set_customer_id("C00001");
  cases.back().request.set_count(101);
  cases.push_back({"negative max price", {}, "filter.max_price"});
  cases.back().request.set_customer_id("C00001");
  cases.back().request.set_count(5);
  cases.back().request.mutable_filter()->set_max_price(-1);
  cases.push_back({"bad category", {}, "filter.include_categories[0]"});
  cases.back().request.set_customer_id("C00001");
  cases.back().request.set_count(5);
  cases.back().request.mutable_filter()->add_include_categories("/kitchen");
  for (const Case& c : cases) {
    v1::RecommendResponse response;
    const grpc::Status status =
        stub->Recommend(Context().get(), c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_NE(status.error_message().find(c.field), std::string::npos)
        << c.name << ": " << status.error_message();
  }

  v1::SimilarItemsRequest similar;
  similar.set_count(5);
  v1::SimilarItemsResponse similar_response;
  grpc::Status status =
      stub->SimilarItems(Context().get(), similar, &similar_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("item_id"), std::string::npos);
  similar.set_item_id("P00001");
  similar.set_count(0);
  status = stub->SimilarItems(Context().get(), similar, &similar_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("count"), std::string::npos);
  similar.set_item_id("NO-SUCH-ITEM");
  similar.set_count(3);
  status = stub->SimilarItems(Context().get(), similar, &similar_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("NO-SUCH-ITEM"), std::string::npos);
}

TEST_F(ServerEndToEndTest, RecordEventsNeedsAnEventLog) {
  v1::RecordEventsRequest request;
  v1::Event* event = request.add_events();
  event->set_customer_id("C00001");
  event->set_item_id("P00001");
  event->set_type(v1::VIEW);
  v1::RecordEventsResponse response;
  const grpc::Status status =
      Stub()->RecordEvents(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("--event_log_dir"), std::string::npos);
}

TEST_F(ServerEndToEndTest, ModelInfoDescribesTheLoadedModel) {
  v1::ModelInfo info;
  ASSERT_TRUE(
      Stub()->GetModelInfo(Context().get(), v1::GetModelInfoRequest(), &info)
          .ok());
  EXPECT_EQ(info.num_items(), 100);
  EXPECT_EQ(info.num_customers(), 300);
  EXPECT_EQ(info.embedding_dimension(), 16);
  EXPECT_EQ(info.parameters().at("epochs"), "5");
  EXPECT_TRUE(info.training_metrics().contains("loss_epoch_05"));
}

// A consumable a customer re-buys on a cycle: asked just before the last
// purchase (when it was due) the server moves it up and says why; asked
// just after it, the server leaves it out. Both through the real binary.
TEST_F(ServerEndToEndTest, DueConsumableIsBoostedAndJustBoughtIsSuppressed) {
  auto model = ModelSnapshot::Load(*snapshot_dir_);
  ASSERT_TRUE(model.ok()) << model.status();
  const absl::Time data_end = *ParseIsoTimestamp((*model)->manifest().data_end());
  auto stub = Stub();
  int checked = 0;
  for (int32_t c = 0; c < (*model)->num_customers() && checked < 3; ++c) {
    const snapshot::Customer& customer = (*model)->customer(c);
    // Its consumables bought at least 3 times, the last within 60 days.
    absl::flat_hash_map<int32_t, std::vector<int64_t>> times;
    for (int k = 0; k < customer.purchased_items_size(); ++k) {
      const int32_t item = customer.purchased_items(k);
      if ((*model)->item(item).durability() == snapshot::CONSUMABLE) {
        times[item].push_back(customer.purchase_times(k));
      }
    }
    for (const auto& [item, when] : times) {
      if (when.size() < 3 ||
          data_end - absl::FromUnixSeconds(when.back()) > absl::Hours(24 * 60)) {
        continue;
      }
      const std::string item_id = (*model)->item(item).id();
      const absl::Time before = absl::FromUnixSeconds(when.back()) - absl::Hours(1);
      const absl::Time after = absl::FromUnixSeconds(when.back()) + absl::Hours(24);
      v1::PredictNextPurchaseRequest forecast_request;
      forecast_request.set_customer_id(customer.id());
      forecast_request.set_as_of(FormatRfc3339Utc(before));
      v1::PredictNextPurchaseResponse forecast;
      ASSERT_TRUE(stub->PredictNextPurchase(Context().get(), forecast_request,
                                            &forecast)
                      .ok());
      const v1::ConsumableForecast* due = nullptr;
      for (const v1::ConsumableForecast& f : forecast.consumables()) {
        if (f.item_id() == item_id) due = &f;
      }
      ASSERT_NE(due, nullptr) << customer.id() << " " << item_id;
      if (due->status() != v1::DUE_SOON && due->status() != v1::OVERDUE) continue;

      v1::RecommendRequest request;
      request.set_customer_id(customer.id());
      request.set_count(10);
      request.set_as_of(FormatRfc3339Utc(before));
      v1::RecommendResponse boosted;
      ASSERT_TRUE(stub->Recommend(Context().get(), request, &boosted).ok());
      const v1::RecommendedItem* pick = nullptr;
      for (const v1::RecommendedItem& i : boosted.items()) {
        if (i.item_id() == item_id) pick = &i;
      }
      ASSERT_NE(pick, nullptr) << customer.id() << " due " << item_id;
      EXPECT_EQ(pick->reason(), v1::REASON_REPURCHASE_DUE);
      EXPECT_NE(pick->reason_text().find("re-bought about every"),
                std::string::npos)
          << pick->reason_text();
      EXPECT_EQ(pick->reason_text(), due->explanation());

      request.set_as_of(FormatRfc3339Utc(after));
      request.set_count(30);
      v1::RecommendResponse suppressed;
      ASSERT_TRUE(stub->Recommend(Context().get(), request, &suppressed).ok());
      ASSERT_EQ(suppressed.items_size(), 30);
      for (const v1::RecommendedItem& i : suppressed.items()) {
        EXPECT_NE(i.item_id(), item_id) << customer.id() << " just bought it";
      }
      forecast_request.set_as_of(FormatRfc3339Utc(after));
      ASSERT_TRUE(stub->PredictNextPurchase(Context().get(), forecast_request,
                                            &forecast)
                      .ok());
      for (const v1::ConsumableForecast& f : forecast.consumables()) {
        if (f.item_id() == item_id) {
          EXPECT_EQ(f.status(), v1::NOT_DUE);
        }
      }
      ++checked;
      break;
    }
  }
  EXPECT_EQ(checked, 3);
}

TEST_F(ServerEndToEndTest, TimingFiguresAndDueCustomers) {
  auto stub = Stub();
  v1::ModelInfo info;
  ASSERT_TRUE(
      stub->GetModelInfo(Context().get(), v1::GetModelInfoRequest(), &info).ok());
  // --clock=data_end: a request without as_of is answered for the data end.
  v1::PredictNextPurchaseRequest request;
  request.set_customer_id("C00001");
  request.set_horizon_days(90);
  v1::PredictNextPurchaseResponse response;
  ASSERT_TRUE(stub->PredictNextPurchase(Context().get(), request, &response).ok());
  EXPECT_EQ(response.as_of(), info.data_end());
  ASSERT_TRUE(response.has_customer());
  EXPECT_GT(response.customer().probability_active(), 0);
  EXPECT_LE(response.customer().probability_active(), 1);
  EXPECT_GT(response.customer().expected_order_value(), 0);

  // Everyone with a consumable due in the next two weeks.
  const absl::Time end = *ParseIsoTimestamp(info.data_end());
  const absl::TimeZone japan = absl::FixedTimeZone(9 * 3600);
  v1::ListDueCustomersRequest due_request;
  due_request.set_due_from(absl::FormatCivilTime(absl::ToCivilDay(end, japan)));
  due_request.set_due_to(
      absl::FormatCivilTime(absl::ToCivilDay(end, japan) + 13));
  v1::ListDueCustomersResponse due;
  ASSERT_TRUE(stub->ListDueCustomers(Context().get(), due_request, &due).ok());
  ASSERT_GT(due.customers_size(), 10);
  EXPECT_EQ(due.total_matching(), due.customers_size());
  const absl::Time from = absl::FromCivil(absl::ToCivilDay(end, japan), japan);
  for (const v1::DueCustomer& customer : due.customers()) {
    for (const v1::ConsumableForecast& f : customer.due()) {
      const absl::Time due_at = *ParseIsoTimestamp(f.due_at());
      EXPECT_GE(due_at, from);
      EXPECT_LT(due_at, from + absl::Hours(24 * 14));
      EXPECT_TRUE(f.status() == v1::DUE_SOON || f.status() == v1::OVERDUE ||
                  f.status() == v1::NOT_DUE)
          << f.status();
    }
  }
  due_request.set_due_to("not a day");
  const grpc::Status status =
      stub->ListDueCustomers(Context().get(), due_request, &due);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("due_to"), std::string::npos);
}

// A server started before any model exists is NOT_SERVING and answers
// UNAVAILABLE, then serves the first model that appears; SIGTERM stops it
// cleanly.
TEST(ServerLifecycleTest, NotServingUntilAModelArrivesAndStopsOnSigterm) {
  const std::string model_dir = JoinPath(Root(), "late-models");
  ASSERT_TRUE(RemoveAll(model_dir).ok());
  ASSERT_TRUE(CreateDirectories(model_dir).ok());
  auto server = ServerProcess::Start(model_dir);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->Health(), HealthCheckResponse::NOT_SERVING);
  auto stub = v1::Recommender::NewStub((*server)->channel());
  v1::RecommendRequest request;
  request.set_customer_id("C00001");
  request.set_count(3);
  v1::RecommendResponse response;
  EXPECT_EQ(stub->Recommend(Context().get(), request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  TrainModel(model_dir);
  ASSERT_TRUE((*server)->WaitUntilServing());
  EXPECT_TRUE(stub->Recommend(Context().get(), request, &response).ok());
  EXPECT_EQ((*server)->Terminate(), 0);
}

// One owner per port: the binary started with --port=0 listens on exactly
// the port it wrote to --port_file, and a second server started on that
// port fails at once with an error naming it while the first keeps serving.
TEST_F(ServerEndToEndTest, OwnsItsPortAlone) {
  absl::StatusOr<std::set<int>> ports = testing::ListeningPorts(server_->pid());
  ASSERT_TRUE(ports.ok()) << ports.status();
  EXPECT_EQ(*ports, std::set<int>{server_->port()});

  const std::string log = JoinPath(Root(), "second-server.log");
  // `timeout`: a second server that does start must not hang the test.
  const int status = std::system(
      absl::StrCat("timeout 30 serving/server --model_dir=", *model_dir_,
                   " --port=", server_->port(), " 2>", log)
          .c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string text = ReadFileToString(log).value_or("");
  EXPECT_NE(text.find(absl::StrCat("port ", server_->port(), " is in use")),
            std::string::npos)
      << text;
  EXPECT_EQ(server_->Health(), HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace recommender
