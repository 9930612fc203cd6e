// End to end: train on a small generated shop, start the real server binary
// on 127.0.0.1, and talk to it through the generated stub as a storefront
// would.
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "proto/diagnostics.grpc.pb.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "tests/testing/server_process.h"
#include "training/sample_shop.h"
#include "training/trainer.h"

namespace recommender {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using testing::ServerProcess;

std::string Root() { return JoinPath(std::getenv("TEST_TMPDIR"), "e2e"); }

// Trains one model shared by all tests of the suite.
std::string TrainModel(const std::string& model_dir) {
  SampleShopOptions shop;
  shop.num_customers = 300;
  shop.num_items = 100;
  const std::string data_dir = JoinPath(Root(), "data");
  EXPECT_TRUE(WriteSampleShop(GenerateSampleShop(shop), data_dir).ok());
  TrainerOptions options;
  options.data_dir = data_dir;
  options.model_dir = model_dir;
  options.ials.factors = 16;
  options.ials.epochs = 5;
  std::ostringstream log;
  absl::StatusOr<TrainingResult> result = Train(options, log);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->snapshot_dir : "";
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

class ServerEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RemoveAll(Root()).IgnoreError();
    model_dir_ = new std::string(JoinPath(Root(), "models"));
    snapshot_dir_ = new std::string(TrainModel(*model_dir_));
    auto server = ServerProcess::Start(*model_dir_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    ASSERT_TRUE(server_->WaitUntilServing());
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

// The latency floor of the load generator: served by the same process.
TEST_F(ServerEndToEndTest, DiagnosticsEchoReturnsThePayload) {
  auto stub = v1::Diagnostics::NewStub(server_->channel());
  v1::EchoRequest request;
  request.set_payload("ping");
  v1::EchoResponse response;
  const grpc::Status status = stub->Echo(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.payload(), "ping");
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
    EXPECT_EQ(item.reason(), v1::REASON_PERSONALIZED);
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

}  // namespace
}  // namespace recommender
