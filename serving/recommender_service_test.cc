#include "serving/recommender_service.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "recommender/ltr/testing_ranker.h"
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

  // Bob buys coffee every 30 days; the data ends 5 days after his last.
  void LoadTimedModel(int64_t version = 78) {
    SnapshotContents contents =
        TestSnapshotBuilder(2)
            .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
            .AddItem("coffee", "food/coffee", {0.5f, 1})
            .AddCustomer("bob", {1, 0.5f},
                         {{"coffee", kJan1},
                          {"coffee", kJan1 + 30 * kDay},
                          {"coffee", kJan1 + 60 * kDay}})
            .AddCustomer("newbie", {1, 0})
            .SetRepurchaseCycle("coffee", 30)
            .SetDataEnd(kJan1 + 65 * kDay)
            .Build(version);
    ASSERT_TRUE(WriteSnapshot(contents, dir_).ok());
    ASSERT_TRUE(models_->PollOnce().ok());
  }

  static constexpr int64_t kJan1 = 1767225600;  // 2026-01-01T00:00:00Z.
  static constexpr int64_t kDay = 86400;

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
  const grpc::Status status =
      service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  v1::GetModelInfoRequest info_request;
  v1::ModelInfo info;
  EXPECT_EQ(
      service_->GetModelInfo(&context_, &info_request, &info).error_code(),
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

TEST_F(RecommenderServiceTest, ExcludePurchasedLeavesOutConsumablesBought) {
  LoadModel();
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(5);
  request.set_exclude_purchased(true);
  v1::RecommendResponse response;
  ASSERT_TRUE(service_->Recommend(&context_, &request, &response).ok());
  // Her microwave (durable) and her coffee (consumable) are both left out.
  ASSERT_EQ(response.items_size(), 1);
  EXPECT_EQ(response.items(0).item_id(), "kettle");
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
  EXPECT_EQ(
      service_->GetCustomerHistory(&context_, &request, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  request.set_customer_id("alice");
  request.set_max_purchases(-1);
  EXPECT_EQ(
      service_->GetCustomerHistory(&context_, &request, &response).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(RecommenderServiceTest, ModelInfoDescribesTheSnapshot) {
  LoadModel();
  v1::ModelInfo info;
  const v1::GetModelInfoRequest info_request;
  ASSERT_TRUE(service_->GetModelInfo(&context_, &info_request, &info).ok());
  EXPECT_EQ(info.model_version(), 77);
  EXPECT_EQ(info.num_items(), 3);
  EXPECT_EQ(info.embedding_dimension(), 2);
  EXPECT_EQ(info.index_type(), "flat_ip");
  EXPECT_FALSE(info.has_tuning());
  EXPECT_EQ(info.ranker_features_size(), 0);
}

TEST_F(RecommenderServiceTest, ModelInfoReportsTheSelfTuningAndTheRanker) {
  SnapshotContents contents =
      TestSnapshotBuilder(2)
          .AddItem("kettle", "kitchen/appliances", {1, 0}, snapshot::DURABLE)
          .AddItem("coffee", "food/coffee", {0.5f, 1})
          .AddCustomer("bob", {1, 0.5f}, {{"coffee", kJan1}})
          .SetRanker(TrainTestRanker(kPurchaseCount))
          .Build(79);
  snapshot::TuningReport& report = *contents.manifest.mutable_tuning();
  report.set_validation("time: the last 10 days");
  report.set_validation_customers(120);
  snapshot::TuningTrial* trial = report.add_trials();
  trial->set_number(1);
  trial->set_stage("ials");
  (*trial->mutable_settings())["alpha"] = "2";
  (*trial->mutable_metrics())["all/ndcg@10"] = 0.5;
  (*report.mutable_chosen())["ranker"] = "xgboost rank:ndcg";
  report.add_budget_cuts("ranker: examples from 40 of 120 validation customers");
  (*report.mutable_validation_metrics())["objective"] = 0.5;
  ASSERT_TRUE(WriteSnapshot(contents, dir_).ok());
  ASSERT_TRUE(models_->PollOnce().ok());
  v1::GetModelInfoRequest info_request;
  v1::ModelInfo info;
  ASSERT_TRUE(service_->GetModelInfo(&context_, &info_request, &info).ok());
  EXPECT_EQ(info.model_version(), 79);
  EXPECT_EQ(info.tuning().validation(), "time: the last 10 days");
  EXPECT_EQ(info.tuning().validation_customers(), 120);
  ASSERT_EQ(info.tuning().trials_size(), 1);
  EXPECT_EQ(info.tuning().trials(0).settings().at("alpha"), "2");
  EXPECT_DOUBLE_EQ(info.tuning().trials(0).metrics().at("all/ndcg@10"), 0.5);
  EXPECT_EQ(info.tuning().chosen().at("ranker"), "xgboost rank:ndcg");
  ASSERT_EQ(info.tuning().budget_cuts_size(), 1);
  EXPECT_EQ(info.tuning().budget_cuts(0),
            "ranker: examples from 40 of 120 validation customers");
  EXPECT_EQ(info.ranker_features_size(), kNumRankingFeatures);
  EXPECT_EQ(info.ranker_features(0), "ials_score");
}

TEST_F(RecommenderServiceTest, PredictNextPurchaseForecastsEachConsumable) {
  LoadTimedModel();
  v1::PredictNextPurchaseRequest request;
  request.set_customer_id("bob");
  request.set_as_of("2026-03-28T00:00:00Z");  // Day 86: due in 4 days.
  v1::PredictNextPurchaseResponse response;
  const grpc::Status status =
      service_->PredictNextPurchase(&context_, &request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.as_of(), "2026-03-28T00:00:00Z");
  EXPECT_EQ(response.horizon_days(), 30);
  EXPECT_EQ(response.model_version(), 78);
  EXPECT_FALSE(response.has_customer());  // No lifetime model in this one.
  ASSERT_EQ(response.consumables_size(), 1);
  const v1::ConsumableForecast& coffee = response.consumables(0);
  EXPECT_EQ(coffee.item_id(), "coffee");
  EXPECT_EQ(coffee.status(), v1::DUE_SOON);
  EXPECT_EQ(coffee.basis(), v1::CUSTOMER_HISTORY);
  EXPECT_EQ(coffee.times_bought(), 3);
  EXPECT_EQ(coffee.last_purchased_at(), "2026-03-02T00:00:00Z");
  EXPECT_NEAR(coffee.typical_interval_days(), 30, 0.5);
  EXPECT_EQ(coffee.explanation(),
            "re-bought about every 30 days; last bought 26 days ago");
  EXPECT_GT(coffee.probability_within_horizon(), 0.9);
  EXPECT_LE(coffee.earliest_at(), coffee.predicted_at());
  EXPECT_LE(coffee.predicted_at(), coffee.latest_at());
}

TEST_F(RecommenderServiceTest, PredictNextPurchaseErrors) {
  LoadModel();  // No timing model.
  v1::PredictNextPurchaseRequest request;
  request.set_customer_id("alice");
  v1::PredictNextPurchaseResponse response;
  EXPECT_EQ(service_->PredictNextPurchase(&context_, &request, &response)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  LoadTimedModel();
  request.set_customer_id("nobody");
  EXPECT_EQ(service_->PredictNextPurchase(&context_, &request, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_customer_id("bob");
  request.set_as_of("last tuesday");
  grpc::Status status =
      service_->PredictNextPurchase(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("as_of"), std::string::npos);
  request.clear_as_of();
  request.set_horizon_days(-3);
  status = service_->PredictNextPurchase(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("horizon_days"), std::string::npos);
}

// With --clock=data_end "now" is the model's data end: bob bought coffee
// 5 days before it (a sixth of his cycle), so it is left out. Asked for
// day 88, it leads.
TEST_F(RecommenderServiceTest, RecommendRanksForAsOfOrTheDataEnd) {
  service_ = std::make_unique<RecommenderService>(models_.get(), nullptr,
                                                  ClockMode::kDataEnd);
  LoadTimedModel();
  v1::RecommendRequest request;
  request.set_customer_id("bob");
  request.set_count(2);
  v1::RecommendResponse response;
  ASSERT_TRUE(service_->Recommend(&context_, &request, &response).ok());
  ASSERT_EQ(response.items_size(), 1);
  EXPECT_EQ(response.items(0).item_id(), "kettle");

  request.set_as_of("2026-03-30T00:00:00Z");
  response.Clear();
  ASSERT_TRUE(service_->Recommend(&context_, &request, &response).ok());
  ASSERT_EQ(response.items_size(), 2);
  EXPECT_EQ(response.items(0).item_id(), "coffee");
  EXPECT_EQ(response.items(0).reason(), v1::REASON_REPURCHASE_DUE);
  EXPECT_EQ(response.items(0).reason_text(),
            "re-bought about every 30 days; last bought 28 days ago");

  request.set_as_of("2026-13-01");
  const grpc::Status status =
      service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("as_of"), std::string::npos);
}

TEST_F(RecommenderServiceTest, ListDueCustomersSelectsByDueDate) {
  LoadTimedModel();
  v1::ListDueCustomersRequest request;
  request.set_due_from("2026-03-30");
  request.set_due_to("2026-04-05");
  request.set_as_of("2026-03-20T00:00:00Z");
  v1::ListDueCustomersResponse response;
  grpc::Status status =
      service_->ListDueCustomers(&context_, &request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.customers_size(), 1);
  EXPECT_EQ(response.customers(0).customer_id(), "bob");
  ASSERT_EQ(response.customers(0).due_size(), 1);
  EXPECT_EQ(response.customers(0).due(0).item_id(), "coffee");
  EXPECT_EQ(response.total_matching(), 1);

  request.set_due_from("2026-04-10");
  request.set_due_to("2026-04-20");
  response.Clear();
  ASSERT_TRUE(service_->ListDueCustomers(&context_, &request, &response).ok());
  EXPECT_EQ(response.customers_size(), 0);

  request.clear_due_from();
  status = service_->ListDueCustomers(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("due_from"), std::string::npos);
  request.set_due_from("2026-04-10");
  request.set_max_customers(20000);
  status = service_->ListDueCustomers(&context_, &request, &response);
  EXPECT_NE(status.error_message().find("max_customers"), std::string::npos);
}

TEST(CheckDeadlineTest, OnlyAPassedDeadlineIsRefused) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(CheckDeadline(now + std::chrono::milliseconds(1), now).ok());
  EXPECT_TRUE(CheckDeadline(now, now).ok());
  EXPECT_TRUE(
      CheckDeadline(std::chrono::system_clock::time_point::max(), now).ok());
  const absl::Status late =
      CheckDeadline(now - std::chrono::milliseconds(1), now);
  EXPECT_EQ(late.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(late.message().find("before the search"), std::string::npos);
}

// The limits on request sizes reach the client as INVALID_ARGUMENT naming
// the field.
TEST_F(RecommenderServiceTest, OversizedListsAreRefusedNamingTheField) {
  LoadModel();
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(2);
  for (int i = 0; i < 1001; ++i) {
    request.mutable_filter()->add_exclude_item_ids("kettle");
  }
  v1::RecommendResponse response;
  grpc::Status status = service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("filter.exclude_item_ids"),
            std::string::npos)
      << status.error_message();
  request.mutable_filter()->clear_exclude_item_ids();
  for (int i = 0; i < 101; ++i) {
    request.mutable_filter()->add_include_categories("kitchen");
  }
  status = service_->Recommend(&context_, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("filter.include_categories"),
            std::string::npos)
      << status.error_message();
}

// A click on a pick is a VIEW carrying the response's recommendation_id;
// the customer's history then shows it, newest first.
TEST_F(RecommenderServiceTest,
       HistoryShowsLiveEventsWithTheirRecommendationId) {
  LoadModel();
  events::EventLogReadSummary recovered;
  const std::string events_dir = dir_ + "_events";
  ASSERT_TRUE(RemoveAll(events_dir).ok());
  auto live = LiveEvents::Open(events_dir, {}, uint64_t{0}, &recovered);
  ASSERT_TRUE(live.ok()) << live.status();
  service_ = std::make_unique<RecommenderService>(models_.get(), live->get());
  const CallContext call;
  v1::RecordEventsRequest record;
  v1::Event* click = record.add_events();
  click->set_customer_id("alice");
  click->set_item_id("kettle");
  click->set_type(v1::VIEW);
  click->set_timestamp("2026-01-03T00:00:00Z");
  click->set_recommendation_id("r-0123");
  v1::Event* newcomer = record.add_events();
  *newcomer = *click;
  newcomer->set_customer_id("carol");
  v1::RecordEventsResponse recorded;
  ASSERT_TRUE(service_->RecordEvents(call, record, &recorded).ok());
  ASSERT_EQ(recorded.accepted(), 2);

  v1::GetCustomerHistoryRequest request;
  request.set_customer_id("alice");
  v1::GetCustomerHistoryResponse history;
  ASSERT_TRUE(service_->GetCustomerHistory(call, request, &history).ok());
  EXPECT_EQ(history.purchases_size(), 2);
  ASSERT_EQ(history.recent_events_size(), 1);
  EXPECT_EQ(history.recent_events(0).item_id(), "kettle");
  EXPECT_EQ(history.recent_events(0).type(), v1::VIEW);
  EXPECT_EQ(history.recent_events(0).recommendation_id(), "r-0123");
  EXPECT_EQ(history.recent_events(0).timestamp(), "2026-01-03T00:00:00Z");
  EXPECT_EQ(history.recent_events(0).sequence(), recorded.sequence());

  // Carol is new since training: known by her live events alone.
  request.set_customer_id("carol");
  history.Clear();
  ASSERT_TRUE(service_->GetCustomerHistory(call, request, &history).ok());
  EXPECT_EQ(history.purchases_size(), 0);
  EXPECT_EQ(history.recent_events_size(), 1);
  request.set_customer_id("nobody");
  EXPECT_EQ(service_->GetCustomerHistory(call, request, &history).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RecommenderServiceTest, HandlersHonourTheCallContext) {
  LoadModel();
  CallContext late;
  late.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  v1::RecommendRequest request;
  request.set_customer_id("alice");
  request.set_count(2);
  v1::RecommendResponse response;
  EXPECT_EQ(service_->Recommend(late, request, &response).code(),
            absl::StatusCode::kDeadlineExceeded);

  // A batch stops when the reader goes away, or once it is cancelled.
  v1::BatchRecommendRequest batch;
  batch.set_count(1);
  batch.mutable_customer_list()->add_customer_ids("alice");
  batch.mutable_customer_list()->add_customer_ids("bob");
  int written = 0;
  EXPECT_EQ(service_
                ->BatchRecommend(CallContext(), batch,
                                 [&](const v1::BatchRecommendResponse&) {
                                   return ++written < 1;
                                 })
                .code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(written, 1);
  CallContext gone;
  gone.cancelled = [] { return true; };
  written = 0;
  EXPECT_EQ(service_
                ->BatchRecommend(gone, batch,
                                 [&](const v1::BatchRecommendResponse&) {
                                   return ++written > 0;
                                 })
                .code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(written, 0);
}

}  // namespace
}  // namespace recommender::serving
