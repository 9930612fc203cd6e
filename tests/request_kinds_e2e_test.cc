// End to end: a snapshot whose factor blocks serve the two kinds of request
// apart (with and without exclude_purchased), as the self-tuning writes
// them for a shop whose "new to you" shelf wants other settings. The real
// server must answer each kind of Recommend and BatchRecommend with that
// kind's blocks only, exactly as the model's own Recommend does.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/recommender.grpc.pb.h"
#include "proto/snapshot.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/file_util.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::ServerProcess;

constexpr int kCount = 10;
// Customers compared; the sample shop has 300.
constexpr int kCustomers = 40;

// Two blocks of factors trained on the same shop with the same seeds: one
// model serves both blocks to every request, the other gives requests
// without exclude_purchased the first block and those with it the second.
testing::SampleModelOptions BlockOptions() {
  testing::SampleModelOptions options;
  options.extra_block_factors = 8;
  return options;
}

class RequestKindsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string root = testing::TestDir("request-kinds");
    RemoveAll(root).IgnoreError();
    const std::string data_dir = JoinPath(root, "data");
    testing::SampleModelOptions per_kind = BlockOptions();
    per_kind.block_requests = {snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED,
                               snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED};
    model_dir_ = new std::string(JoinPath(root, "per-kind"));
    absl::StatusOr<std::string> per_kind_snapshot =
        testing::TrainSampleModel(data_dir, *model_dir_, per_kind);
    ASSERT_TRUE(per_kind_snapshot.ok()) << per_kind_snapshot.status();
    absl::StatusOr<std::string> shared_snapshot = testing::TrainSampleModel(
        data_dir, JoinPath(root, "shared"), BlockOptions());
    ASSERT_TRUE(shared_snapshot.ok()) << shared_snapshot.status();
    auto per_kind_model = ModelSnapshot::Load(*per_kind_snapshot);
    ASSERT_TRUE(per_kind_model.ok()) << per_kind_model.status();
    per_kind_ = per_kind_model->release();
    auto shared_model = ModelSnapshot::Load(*shared_snapshot);
    ASSERT_TRUE(shared_model.ok()) << shared_model.status();
    shared_ = shared_model->release();
  }

  static void TearDownTestSuite() {
    delete per_kind_;
    delete shared_;
    delete model_dir_;
  }

  // A server whose "now" is the model's data_end, the moment Recommend
  // ranks for in process when the query does not say.
  static std::unique_ptr<ServerProcess> StartServer() {
    auto server =
        ServerProcess::StartServing(*model_dir_, {"--clock=data_end"});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static RecommendQuery Query(const std::string& customer,
                              bool exclude_purchased) {
    RecommendQuery query;
    query.customer_id = customer;
    query.count = kCount;
    query.exclude_purchased = exclude_purchased;
    return query;
  }

  static std::vector<std::string> InProcess(const ModelSnapshot& model,
                                            const RecommendQuery& query) {
    auto picks = Recommend(model, query);
    EXPECT_TRUE(picks.ok()) << picks.status();
    std::vector<std::string> ids;
    if (!picks.ok()) return ids;
    for (const Recommendation& pick : *picks)
      ids.push_back(model.item(pick.item).id());
    return ids;
  }

  static std::vector<std::string> Ids(
      const google::protobuf::RepeatedPtrField<v1::RecommendedItem>& items) {
    std::vector<std::string> ids;
    for (const v1::RecommendedItem& item : items) ids.push_back(item.item_id());
    return ids;
  }

  static std::string* model_dir_;
  static const ModelSnapshot* per_kind_;
  static const ModelSnapshot* shared_;
};

std::string* RequestKindsEndToEndTest::model_dir_ = nullptr;
const ModelSnapshot* RequestKindsEndToEndTest::per_kind_ = nullptr;
const ModelSnapshot* RequestKindsEndToEndTest::shared_ = nullptr;

// The two models differ only in which requests see which block, so where
// their answers differ, the blocks' kinds did it.
TEST_F(RequestKindsEndToEndTest, TheTwoModelsShareTheirFactors) {
  ASSERT_EQ(per_kind_->num_items(), shared_->num_items());
  ASSERT_EQ(per_kind_->dimension(), 16 + 8);
  EXPECT_EQ(per_kind_->request_mask(true).size(), 16u + 8u);
  EXPECT_TRUE(shared_->request_mask(true).empty());
  for (int32_t row = 0; row < per_kind_->num_items(); ++row) {
    const absl::Span<const float> a = per_kind_->item_vector(row);
    const absl::Span<const float> b = shared_->item_vector(row);
    ASSERT_EQ(std::vector<float>(a.begin(), a.end()),
              std::vector<float>(b.begin(), b.end()))
        << "item row " << row;
  }
}

TEST_F(RequestKindsEndToEndTest, RecommendAnswersEachKindWithItsOwnBlocks) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Recommender::NewStub(server->channel());
  int differs_from_shared[2] = {0, 0};
  for (int32_t row = 0; row < kCustomers; ++row) {
    const std::string customer = per_kind_->customer(row).id();
    for (bool exclude_purchased : {false, true}) {
      v1::RecommendRequest request;
      request.set_customer_id(customer);
      request.set_count(kCount);
      request.set_exclude_purchased(exclude_purchased);
      v1::RecommendResponse response;
      auto context = testing::ContextWithDeadline(absl::Seconds(10));
      const grpc::Status status =
          stub->Recommend(context.get(), request, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      const RecommendQuery query = Query(customer, exclude_purchased);
      const std::vector<std::string> expected = InProcess(*per_kind_, query);
      EXPECT_EQ(Ids(response.items()), expected)
          << customer << (exclude_purchased ? ", exclude_purchased" : "");
      differs_from_shared[exclude_purchased] +=
          expected != InProcess(*shared_, query);
    }
  }
  // Otherwise the comparison above could not tell the kinds apart.
  EXPECT_GT(differs_from_shared[0], kCustomers / 2);
  EXPECT_GT(differs_from_shared[1], kCustomers / 2);
}

TEST_F(RequestKindsEndToEndTest,
       BatchRecommendAnswersEachKindWithItsOwnBlocks) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto stub = v1::Recommender::NewStub(server->channel());
  for (bool exclude_purchased : {false, true}) {
    v1::BatchRecommendRequest request;
    for (int32_t row = 0; row < kCustomers; ++row) {
      request.mutable_customer_list()->add_customer_ids(
          per_kind_->customer(row).id());
    }
    request.set_count(kCount);
    request.set_exclude_purchased(exclude_purchased);
    auto context = testing::ContextWithDeadline(absl::Seconds(30));
    auto stream = stub->BatchRecommend(context.get(), request);
    const testing::StreamResult<v1::BatchRecommendResponse> result =
        testing::ReadToEnd(*stream);
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.messages.size(), static_cast<size_t>(kCustomers));
    for (const v1::BatchRecommendResponse& message : result.messages) {
      EXPECT_EQ(Ids(message.items()),
                InProcess(*per_kind_,
                          Query(message.customer_id(), exclude_purchased)))
          << message.customer_id()
          << (exclude_purchased ? ", exclude_purchased" : "");
    }
  }
}

}  // namespace
}  // namespace recommender
