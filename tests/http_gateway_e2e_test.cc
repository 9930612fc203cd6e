// End to end: the real server binary with --http_port. The JSON gateway
// answers what gRPC answers (it calls the same service object), events
// recorded over HTTP are visible over gRPC with their recommendation id,
// and streams arrive as JSON Lines.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::ServerProcess;

std::string Root() { return testing::TestDir("gateway"); }

class HttpGatewayEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root());
    ASSERT_TRUE(trained.ok()) << trained.status();
    const std::string& model_dir = trained->model_dir;
    auto model = ModelSnapshot::Load(trained->snapshot_dir);
    ASSERT_TRUE(model.ok()) << model.status();
    for (int32_t row = 0; row < 20 && row < (*model)->num_customers(); ++row) {
      customers_->push_back((*model)->customer(row).id());
    }
    const std::string port_file = JoinPath(Root(), "http.port");
    auto server = ServerProcess::StartServing(
        model_dir, {"--event_log_dir=" + JoinPath(Root(), "events"),
                    "--http_port=0", "--http_port_file=" + port_file,
                    "--clock=data_end"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    absl::StatusOr<std::string> port = ReadFileToString(port_file);
    ASSERT_TRUE(port.ok()) << port.status();
    ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(*port), &http_port_));
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static nlohmann::json Post(const std::string& path, const nlohmann::json& body,
                             int expected_status = 200) {
    httplib::Client client("127.0.0.1", http_port_);
    client.set_read_timeout(std::chrono::seconds(10));
    httplib::Result result = client.Post(path, body.dump(), "application/json");
    EXPECT_TRUE(result) << path << ": " << httplib::to_string(result.error());
    if (!result) return nullptr;
    EXPECT_EQ(result->status, expected_status) << path << ": " << result->body;
    return nlohmann::json::parse(result->body);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    return testing::ContextWithDeadline(absl::Seconds(10));
  }

  static inline std::vector<std::string>* customers_ =
      new std::vector<std::string>();
  static inline ServerProcess* server_ = nullptr;
  static inline int http_port_ = 0;
};

TEST_F(HttpGatewayEndToEndTest, SamePicksAsGrpc) {
  auto stub = v1::Recommender::NewStub(server_->channel());
  ASSERT_FALSE(customers_->empty());
  for (const std::string& customer : *customers_) {
    v1::RecommendRequest request;
    request.set_customer_id(customer);
    request.set_count(8);
    v1::RecommendResponse grpc_picks;
    ASSERT_TRUE(stub->Recommend(Context().get(), request, &grpc_picks).ok());
    const nlohmann::json http_picks =
        Post("/v1/recommend", {{"customerId", customer}, {"count", 8}});
    ASSERT_EQ(http_picks["items"].size(),
              static_cast<size_t>(grpc_picks.items_size()))
        << customer;
    for (int i = 0; i < grpc_picks.items_size(); ++i) {
      const nlohmann::json& item = http_picks["items"][i];
      EXPECT_EQ(item["itemId"], grpc_picks.items(i).item_id()) << customer;
      EXPECT_EQ(item["reasonText"], grpc_picks.items(i).reason_text());
      EXPECT_FLOAT_EQ(item["score"].get<float>(), grpc_picks.items(i).score());
    }
    EXPECT_EQ(http_picks["modelVersion"],
              std::to_string(grpc_picks.model_version()));
    EXPECT_NE(http_picks["recommendationId"], grpc_picks.recommendation_id());
  }
}

TEST_F(HttpGatewayEndToEndTest, ClickRecordedOverHttpIsHeldWithItsRecommendationId) {
  const std::string customer = customers_->front();
  const nlohmann::json picks =
      Post("/v1/recommend", {{"customerId", customer}, {"count", 3}});
  ASSERT_FALSE(picks["items"].empty());
  const std::string item = picks["items"][0]["itemId"];
  const std::string recommendation = picks["recommendationId"];
  const nlohmann::json recorded = Post(
      "/v1/events",
      {{"events",
        {{{"customerId", customer},
          {"itemId", item},
          {"type", "VIEW"},
          {"recommendationId", recommendation}}}}});
  EXPECT_EQ(recorded["accepted"], 1);

  v1::GetCustomerHistoryRequest request;
  request.set_customer_id(customer);
  v1::GetCustomerHistoryResponse history;
  ASSERT_TRUE(v1::Recommender::NewStub(server_->channel())
                  ->GetCustomerHistory(Context().get(), request, &history)
                  .ok());
  ASSERT_GE(history.recent_events_size(), 1);
  EXPECT_EQ(history.recent_events(0).item_id(), item);
  EXPECT_EQ(history.recent_events(0).type(), v1::VIEW);
  EXPECT_EQ(history.recent_events(0).recommendation_id(), recommendation);

  // A bad event is rejected naming its field; the call itself is fine.
  const nlohmann::json rejected = Post(
      "/v1/events",
      {{"events", {{{"customerId", customer}, {"itemId", "no-such-item"},
                    {"type", "VIEW"}}}}});
  ASSERT_EQ(rejected["rejected"].size(), 1u);
  EXPECT_EQ(rejected["rejected"][0]["field"], "events[0].item_id");
}

TEST_F(HttpGatewayEndToEndTest, BatchRecommendStreamsJsonLines) {
  httplib::Client client("127.0.0.1", http_port_);
  client.set_read_timeout(std::chrono::seconds(10));
  nlohmann::json request = {{"customerList", {{"customerIds", *customers_}}},
                            {"count", 2}};
  httplib::Result result =
      client.Post("/v1/batch-recommend", request.dump(), "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/x-ndjson");
  std::vector<std::string> lines =
      absl::StrSplit(result->body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), customers_->size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const nlohmann::json line = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(line["customerId"], (*customers_)[i]);
    EXPECT_EQ(line["position"], std::to_string(i + 1));
  }
  const nlohmann::json bad =
      Post("/v1/batch-recommend", {{"count", 2}}, /*expected_status=*/400);
  EXPECT_EQ(bad["error"]["field"], "customers");
}

TEST_F(HttpGatewayEndToEndTest, ErrorsMapToHttpStatuses) {
  EXPECT_EQ(Post("/v1/customer-history", {{"customerId", "nobody-at-all"}},
                 404)["error"]["code"],
            "NOT_FOUND");
  EXPECT_EQ(Post("/v1/recommend", {{"customerId", "x"}, {"count", 101}},
                 400)["error"]["field"],
            "count");
  EXPECT_EQ(Post("/v1/similar-items", {{"itemId", "no-such-item"}, {"count", 3}},
                 404)["error"]["code"],
            "NOT_FOUND");
}

}  // namespace
}  // namespace recommender
