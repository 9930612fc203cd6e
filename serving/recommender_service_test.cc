#include "serving/recommender_service.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender::serving {
namespace {

class RecommenderServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
    models_ = std::make_unique<ModelManager>(dir_, ModelManager::Listener{});
    service_ = std::make_unique<RecommenderService>(models_.get());
  }

  void LoadModel() {
    SnapshotContents contents =
        TestSnapshotBuilder(2)
            .AddItem("microwave", "kitchen/appliances", {1, 0},
                     snapshot::DURABLE, 19800, 4)
            .AddItem("kettle", "kitchen/appliances", {0.9f, 0.1f},
                     snapshot::DURABLE, 4980, 2)
            .AddItem("coffee", "food/coffee", {0, 1}, snapshot::CONSUMABLE,
                     1200, 9)
            .AddCustomer("alice", {1, 0.2f},
                         {{"coffee", 1767225600}, {"microwave", 1767312000}})
            .Build(77);
    ASSERT_TRUE(WriteSnapshot(contents, dir_).ok());
    ASSERT_TRUE(models_->PollOnce().ok());
  }

  std::string dir_;
  std::unique_ptr<ModelManager> models_;
  std::unique_ptr<RecommenderService> service_;
  grpc::ServerContext context_;
};

TEST_F(RecommenderServiceTest, UnavailableWithoutAModel) {
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(2);
  v1::RecommendResponse response;
  const grpc::Status status = service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  v1::ModelInfo info;
  EXPECT_EQ(service_->GetModelInfo(&context_, nullptr, &info).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(RecommenderServiceTest, RecommendFillsItemsVersionAndId) {
  LoadModel();
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(5);
  v1::RecommendResponse response;
  ASSERT_TRUE(service_->Recommend(&context_, &request, &response).ok());
  ASSERT_EQ(response.items_size(), 2);  // The owned microwave is excluded.
  EXPECT_EQ(response.items(0).item_id(), "kettle");
  EXPECT_EQ(response.items(0).reason(), v1::REASON_PERSONALIZED);
  EXPECT_EQ(response.items(0).category(), "kitchen/appliances");
  EXPECT_DOUBLE_EQ(response.items(0).price(), 4980);
  EXPECT_EQ(response.model_version(), 77);
  EXPECT_EQ(response.recommendation_id().size(), 34u);

  v1::RecommendResponse again;
  ASSERT_TRUE(service_->Recommend(&context_, &request, &again).ok());
  EXPECT_NE(again.recommendation_id(), response.recommendation_id());
}

TEST_F(RecommenderServiceTest, FilterIsApplied) {
  LoadModel();
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(5);
  request.mutable_filter()->set_max_price(2000);
  v1::RecommendResponse response;
  ASSERT_TRUE(service_->Recommend(&context_, &request, &response).ok());
  ASSERT_EQ(response.items_size(), 1);
  EXPECT_EQ(response.items(0).item_id(), "coffee");
}

TEST_F(RecommenderServiceTest, InvalidArgumentsNameTheField) {
  LoadModel();
  v1::RecommendRequest request;
  request.set_count(5);
  v1::RecommendResponse response;
  grpc::Status status = service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("customer_id"), std::string::npos);

  v1::SimilarItemsRequest similar;
  similar.set_item_id("microwave");
  similar.set_count(1000);
  v1::SimilarItemsResponse similar_response;
  status = service_->SimilarItems(&context_, &similar, &similar_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("count"), std::string::npos);

  similar.set_item_id("toaster");
  similar.set_count(1);
  status = service_->SimilarItems(&context_, &similar, &similar_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RecommenderServiceTest, HistoryIsNewestFirst) {
  LoadModel();
  v1::GetCustomerHistoryRequest request;
  request.set_customer_id("alice");
  v1::GetCustomerHistoryResponse response;
  ASSERT_TRUE(
      service_->GetCustomerHistory(&context_, &request, &response).ok());
  ASSERT_EQ(response.purchases_size(), 2);
  EXPECT_EQ(response.purchases(0).item_id(), "microwave");
  EXPECT_EQ(response.purchases(0).durability(), v1::DURABLE);
  EXPECT_EQ(response.purchases(0).purchased_at(), "2026-01-02T00:00:00Z");

  request.set_max_purchases(1);
  response.Clear();
  ASSERT_TRUE(
      service_->GetCustomerHistory(&context_, &request, &response).ok());
  EXPECT_EQ(response.purchases_size(), 1);

  request.set_customer_id("nobody");
  EXPECT_EQ(service_->GetCustomerHistory(&context_, &request, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_customer_id("alice");
  request.set_max_purchases(-1);
  EXPECT_EQ(service_->GetCustomerHistory(&context_, &request, &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecommenderServiceTest, ModelInfoDescribesTheSnapshot) {
  LoadModel();
  v1::ModelInfo info;
  ASSERT_TRUE(service_->GetModelInfo(&context_, nullptr, &info).ok());
  EXPECT_EQ(info.model_version(), 77);
  EXPECT_EQ(info.num_items(), 3);
  EXPECT_EQ(info.embedding_dimension(), 2);
  EXPECT_EQ(info.index_type(), "flat_ip");
}

}  // namespace
}  // namespace recommender::serving
