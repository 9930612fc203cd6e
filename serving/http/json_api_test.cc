#include "serving/http/json_api.h"

#include <cstdlib>
#include <set>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/model/model_manager.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"
#include "serving/auth/authorizer.h"

namespace recommender::serving {
namespace {

class JsonApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(dir_).ok());
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
            .AddCustomer("bob", {0, 1})
            .Build(77);
    ASSERT_TRUE(WriteSnapshot(contents, dir_).ok());
    models_ = std::make_unique<ModelManager>(dir_, ModelManager::Listener{});
    ASSERT_TRUE(models_->PollOnce().ok());
    recommender_ = std::make_unique<RecommenderService>(models_.get());
    operations_ =
        std::make_unique<OperationsService>(OperationsService::Sources{
            &metrics_, &loads_, models_.get(), &health_, absl::Now()});
    for (JsonMethod& method :
         JsonApi(recommender_.get(), operations_.get(), &diagnostics_)) {
      methods_.push_back(std::move(method));
    }
  }

  const JsonMethod& At(const std::string& path) const {
    for (const JsonMethod& method : methods_) {
      if (method.path == path) return method;
    }
    ADD_FAILURE() << "no method at " << path;
    return methods_.front();
  }

  absl::StatusOr<nlohmann::json> Call(const std::string& path,
                                      const std::string& body) const {
    std::string out;
    absl::Status status = At(path).unary(CallContext(), body, &out);
    if (!status.ok()) return status;
    return nlohmann::json::parse(out);
  }

  std::string dir_;
  std::unique_ptr<ModelManager> models_;
  std::unique_ptr<RecommenderService> recommender_;
  Metrics metrics_;
  ModelLoadHistory loads_;
  HealthReporter health_{"recommender.v1.Recommender"};
  std::unique_ptr<OperationsService> operations_;
  DiagnosticsService diagnostics_;
  std::vector<JsonMethod> methods_;
};

// Every RPC of the services in recommender.v1's files has one path, with
// the right kind (unary or server-streaming).
TEST_F(JsonApiTest, EveryRpcHasAPath) {
  std::set<std::string> rpcs;
  for (const google::protobuf::FileDescriptor* file :
       {v1::RecommendRequest::descriptor()->file(),
        v1::GetServerStatusRequest::descriptor()->file(),
        v1::EchoRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* rpc = service->method(m);
        const std::string name = "/" + service->full_name() + "/" + rpc->name();
        rpcs.insert(name);
        int found = 0;
        for (const JsonMethod& method : methods_) {
          if (method.full_method != name) continue;
          ++found;
          EXPECT_EQ(static_cast<bool>(method.stream), rpc->server_streaming())
              << name;
          EXPECT_NE(static_cast<bool>(method.unary), rpc->server_streaming())
              << name;
          EXPECT_EQ(method.path.rfind("/v1/", 0), 0u) << method.path;
        }
        EXPECT_EQ(found, 1) << name << " has no JSON path";
      }
    }
  }
  EXPECT_EQ(methods_.size(), rpcs.size());
  std::set<std::string> paths;
  for (const JsonMethod& method : methods_) paths.insert(method.path);
  EXPECT_EQ(paths.size(), methods_.size());
}

TEST_F(JsonApiTest, RecommendSpeaksCanonicalJson) {
  absl::StatusOr<nlohmann::json> response =
      Call("/v1/recommend", R"({"customerId": "alice", "count": 3})");
  ASSERT_TRUE(response.ok()) << response.status();
  // int64 as a string, enums by name, every field present.
  EXPECT_EQ((*response)["modelVersion"], "77");
  ASSERT_EQ((*response)["items"].size(), 2u);  // The microwave is owned.
  for (const nlohmann::json& item : (*response)["items"]) {
    EXPECT_NE(item["itemId"], "microwave");
    EXPECT_TRUE(item.contains("reasonText"));
    EXPECT_TRUE(item["reason"].is_string());
    EXPECT_TRUE(item.contains("price"));
  }
  EXPECT_EQ((*response)["recommendationId"].get<std::string>().size(), 34u);
  // The proto's own field names are accepted too.
  EXPECT_TRUE(
      Call("/v1/recommend", R"({"customer_id": "bob", "count": 1})").ok());
}

TEST_F(JsonApiTest, BadRequestsNameWhatIsWrong) {
  absl::StatusOr<nlohmann::json> response =
      Call("/v1/recommend", R"({"customerId": "alice", "count": 0})");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message().rfind("count: ", 0), 0u)
      << response.status();
  // JSON the message does not take: the field leads the message too.
  response = Call("/v1/recommend", R"({"customerId": "alice", "cnt": 3})");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message().rfind("cnt: ", 0), 0u)
      << response.status();
  response = Call("/v1/recommend", R"({"count": "many"})");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message().rfind("count: ", 0), 0u)
      << response.status();
  EXPECT_NE(response.status().message().find("recommender.v1.RecommendRequest"),
            std::string::npos);
  response = Call("/v1/recommend", "not json");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(response.status().message().rfind("request body: ", 0), 0u)
      << response.status();
  response = Call("/v1/customer-history", R"({"customerId": "nobody"})");
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(JsonApiTest, ReadOnlyCallsTakeAnEmptyBody) {
  absl::StatusOr<nlohmann::json> info = Call("/v1/model", "");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ((*info)["modelVersion"], "77");
  EXPECT_TRUE(At("/v1/model").read_only);
  absl::StatusOr<nlohmann::json> status = Call("/v1/status", "");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ((*status)["modelVersion"], "77");
  EXPECT_FALSE(At("/v1/recommend").read_only);
}

TEST_F(JsonApiTest, BatchRecommendStreamsJsonLines) {
  absl::StatusOr<JsonStream> stream =
      At("/v1/batch-recommend")
          .stream(CallContext(),
                  R"({"customerList": {"customerIds": ["alice", "bob"]},
                         "count": 1})");
  ASSERT_TRUE(stream.ok()) << stream.status();
  std::vector<nlohmann::json> lines;
  ASSERT_TRUE((*stream)(CallContext(), [&lines](const std::string& line) {
                EXPECT_EQ(line.find('\n'), std::string::npos);
                lines.push_back(nlohmann::json::parse(line));
                return true;
              }).ok());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["customerId"], "alice");
  EXPECT_EQ(lines[1]["position"], "2");
  EXPECT_EQ(lines[1]["total"], "2");
  // A bad request fails before any line.
  stream = At("/v1/batch-recommend").stream(CallContext(), R"({"count": 1})");
  EXPECT_EQ(stream.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(stream.status().message().rfind("customers: ", 0), 0u);
}

TEST_F(JsonApiTest, BatchStreamsCountAgainstTheKeysStreamCap) {
  auth::Authorizer::Options options;
  options.max_streams_per_key = 1;
  auth::Authorizer authorizer(options);
  RecommenderService service(models_.get(), nullptr, ClockMode::kWall,
                             nullptr, nullptr, nullptr, &authorizer);
  const JsonMethod batch = [this, &service] {
    for (JsonMethod& method :
         JsonApi(&service, operations_.get(), &diagnostics_)) {
      if (method.path == "/v1/batch-recommend") return method;
    }
    return JsonMethod();
  }();
  ASSERT_TRUE(batch.stream);
  auto as = [](const std::string& key_id) {
    CallContext call;
    call.keys_enabled = true;
    call.caller.key_id = key_id;
    return call;
  };
  const std::string body =
      R"({"customerList": {"customerIds": ["alice", "bob"]}, "count": 1})";
  absl::StatusOr<JsonStream> first = batch.stream(as("mailer"), body);
  ASSERT_TRUE(first.ok()) << first.status();
  // The same key's second stream is refused while the first is open;
  // another key's is not.
  absl::StatusOr<JsonStream> second = batch.stream(as("mailer"), body);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(second.status().message().find("stream"), std::string::npos)
      << second.status();
  EXPECT_TRUE(batch.stream(as("reports"), body).ok());
  // Once the first has run to its end, its slot is free again.
  int lines = 0;
  ASSERT_TRUE((*first)(as("mailer"), [&lines](const std::string&) {
                ++lines;
                return true;
              }).ok());
  EXPECT_EQ(lines, 2);
  first = absl::CancelledError("done");
  EXPECT_TRUE(batch.stream(as("mailer"), body).ok());
}

}  // namespace
}  // namespace recommender::serving
