// Requests through the real gRPC stack of an in-process Server: one "now"
// for every RPC under --clock=data_end, and bad input of every kind
// answered INVALID_ARGUMENT naming the field, with a short, escaped message
// and nothing in the log.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"
#include "recommender/util/quote.h"
#include "serving/server.h"

namespace recommender::serving {
namespace {

constexpr int64_t kJan1 = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;
// The model's data end: 2026-03-07, 5 days after bob's last coffee.
constexpr int64_t kDataEnd = kJan1 + 65 * kDay;

// Everything written to stderr (the JSON log) while it lives.
class StderrCapture {
 public:
  explicit StderrCapture(std::string path) : path_(std::move(path)) {
    saved_ = ::dup(2);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    ::close(fd);
  }
  std::string Stop() {
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
    return ReadFileToString(path_).value_or("");
  }
  ~StderrCapture() { Stop(); }

 private:
  std::string path_;
  int saved_ = -1;
};

class ServerRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = JoinPath(
        std::getenv("TEST_TMPDIR"),
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(RemoveAll(dir_).ok());
    ASSERT_TRUE(CreateDirectories(JoinPath(dir_, "models")).ok());
    // Bob buys coffee every 30 days; the data ends 5 days after his last.
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
            .SetDataEnd(kDataEnd)
            .Build(7);
    ASSERT_TRUE(WriteSnapshot(contents, JoinPath(dir_, "models")).ok());
    Server::Options options;
    options.model_dir = JoinPath(dir_, "models");
    options.event_log_dir = JoinPath(dir_, "events");
    options.event_log_sync = false;
    options.port = 0;
    options.clock = ClockMode::kDataEnd;
    options.drain = absl::Seconds(1);
    ASSERT_TRUE(server_.BuildAndStart(options).ok());
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_.port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::Recommender::NewStub(channel_);
  }

  void TearDown() override {
    server_.Shutdown();
    server_.Wait();
  }

  static void SetDeadline(grpc::ClientContext* context) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
  }

  // The customers a selector picks, as BatchRecommend streams them.
  std::vector<std::string> Select(v1::CustomerSelector::Kind kind, int days) {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::BatchRecommendRequest request;
    request.mutable_selector()->set_kind(kind);
    request.mutable_selector()->set_days(days);
    request.set_count(2);
    auto reader = stub_->BatchRecommend(&context, request);
    std::vector<std::string> customers;
    v1::BatchRecommendResponse message;
    while (reader->Read(&message)) {
      customers.push_back(message.customer_id());
      for (const v1::RecommendedItem& item : message.items()) {
        // The picks are ranked as of the same moment: coffee, bought by bob
        // 5 days before it on a 30-day cycle, is left out.
        if (message.customer_id() == "bob") {
          EXPECT_NE(item.item_id(), "coffee");
        }
      }
    }
    const grpc::Status status = reader->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return customers;
  }

  // A unary call with raw request bytes, as a client with its own encoder
  // might send them.
  grpc::Status RawCall(const std::string& method, const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::CompletionQueue queue;
    grpc::ClientContext context;
    SetDeadline(&context);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    auto call = generic.PrepareUnaryCall(&context, method, request, &queue);
    call->StartCall();
    grpc::ByteBuffer response;
    grpc::Status status;
    call->Finish(&response, &status, reinterpret_cast<void*>(1));
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    return status;
  }

  std::string dir_;
  Server server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Recommender::Stub> stub_;
};

// With --clock=data_end every RPC takes "now" from the model's data end;
// the lapsed/active selectors used to count from the wall clock (months
// later), so everyone who had bought looked lapsed.
TEST_F(ServerRequestsTest, EveryRpcUsesTheSameNow) {
  // Recommend: coffee was bought 5 days before "now", so it is left out.
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::RecommendRequest request;
    request.set_customer_id("bob");
    request.set_count(2);
    v1::RecommendResponse response;
    ASSERT_TRUE(stub_->Recommend(&context, request, &response).ok());
    ASSERT_EQ(response.items_size(), 1);
    EXPECT_EQ(response.items(0).item_id(), "kettle");
  }
  // BatchRecommend's selectors: bob bought 5 days before the data end.
  EXPECT_TRUE(Select(v1::CustomerSelector::LAPSED, 30).empty());
  EXPECT_EQ(Select(v1::CustomerSelector::LAPSED, 3),
            std::vector<std::string>{"bob"});
  EXPECT_EQ(Select(v1::CustomerSelector::ACTIVE, 30),
            std::vector<std::string>{"bob"});
  // PredictNextPurchase answers for the data end.
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::PredictNextPurchaseRequest request;
    request.set_customer_id("bob");
    v1::PredictNextPurchaseResponse response;
    ASSERT_TRUE(stub_->PredictNextPurchase(&context, request, &response).ok());
    EXPECT_EQ(response.as_of(), "2026-03-07T00:00:00Z");
  }
  // ListDueCustomers: coffee is due on 2026-04-01, not long overdue.
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::ListDueCustomersRequest request;
    request.set_due_from("2026-03-30");
    request.set_due_to("2026-04-05");
    v1::ListDueCustomersResponse response;
    ASSERT_TRUE(stub_->ListDueCustomers(&context, request, &response).ok());
    ASSERT_EQ(response.customers_size(), 1);
    EXPECT_EQ(response.customers(0).customer_id(), "bob");
  }
  // RecordEvents: an event sent without a time is stamped with "now" (the
  // data end); events are real, so one dated after the data end but not
  // after the system clock is taken, and one after both is the future.
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::RecordEventsRequest request;
    v1::Event* later = request.add_events();
    later->set_customer_id("newbie");
    later->set_item_id("kettle");
    later->set_type(v1::VIEW);
    later->set_timestamp("2026-03-08T00:00:00Z");
    v1::Event* untimed = request.add_events();
    untimed->set_customer_id("newbie");
    untimed->set_item_id("kettle");
    untimed->set_type(v1::PURCHASE);
    v1::Event* future = request.add_events();
    future->set_customer_id("newbie");
    future->set_item_id("kettle");
    future->set_type(v1::VIEW);
    future->set_timestamp("2099-01-01T00:00:00Z");
    v1::RecordEventsResponse response;
    ASSERT_TRUE(stub_->RecordEvents(&context, request, &response).ok());
    EXPECT_EQ(response.accepted(), 2);
    ASSERT_EQ(response.rejected_size(), 1);
    EXPECT_EQ(response.rejected(0).field(), "events[2].timestamp");
  }
  // The purchase counts as of the data end: newbie is active, not lapsed.
  EXPECT_EQ(Select(v1::CustomerSelector::LAPSED, 3),
            std::vector<std::string>{"bob"});
  EXPECT_EQ(Select(v1::CustomerSelector::ACTIVE, 1),
            std::vector<std::string>{"newbie"});
}

// Every field of every RPC that carries an id or a time is checked the same
// way; the answer is INVALID_ARGUMENT naming the field, with the value
// quoted short and escaped, never INTERNAL, and nothing is logged.
TEST_F(ServerRequestsTest, BadInputIsInvalidArgumentNamingTheField) {
  StderrCapture log(JoinPath(dir_, "stderr"));
  const std::string huge(10240, 'x');
  struct Case {
    std::string field;
    grpc::Status status;
  };
  std::vector<Case> cases;
  auto recommend = [&](const std::string& field,
                       const std::function<void(v1::RecommendRequest*)>& set) {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::RecommendRequest request;
    request.set_customer_id("bob");
    request.set_count(2);
    set(&request);
    v1::RecommendResponse response;
    cases.push_back({field, stub_->Recommend(&context, request, &response)});
  };
  recommend("customer_id", [&](auto* r) { r->set_customer_id(huge); });
  recommend("customer_id",
            [](auto* r) { r->set_customer_id(std::string("bo\0b", 4)); });
  recommend("customer_id", [](auto* r) { r->set_customer_id("bob\n"); });
  recommend("customer_id", [](auto* r) { r->set_customer_id(" bob"); });
  recommend("recently_viewed_item_ids[1]", [](auto* r) {
    r->add_recently_viewed_item_ids("kettle");
    r->add_recently_viewed_item_ids("\x1b[2Jkettle");
  });
  recommend("filter.exclude_item_ids[0]", [&](auto* r) {
    r->mutable_filter()->add_exclude_item_ids(huge);
  });
  recommend("attributes.region",
            [](auto* r) { r->mutable_attributes()->set_region("To\tkyo"); });
  recommend("as_of", [](auto* r) { r->set_as_of("1900-01-01T00:00:00Z"); });
  recommend("as_of", [](auto* r) { r->set_as_of("9999-12-31T00:00:00Z"); });
  recommend("as_of", [](auto* r) { r->set_as_of("2026-03-01T00:00:00"); });
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::SimilarItemsRequest request;
    request.set_item_id(huge);
    request.set_count(2);
    v1::SimilarItemsResponse response;
    cases.push_back({"item_id", stub_->SimilarItems(&context, request, &response)});
  }
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::GetCustomerHistoryRequest request;
    request.set_customer_id(huge);
    v1::GetCustomerHistoryResponse response;
    cases.push_back(
        {"customer_id", stub_->GetCustomerHistory(&context, request, &response)});
  }
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::PredictNextPurchaseRequest request;
    request.set_customer_id("bob");
    request.set_as_of("1900-01-01T00:00:00Z");
    v1::PredictNextPurchaseResponse response;
    cases.push_back(
        {"as_of", stub_->PredictNextPurchase(&context, request, &response)});
  }
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::ListDueCustomersRequest request;
    request.set_due_from("2026-01-01");
    request.set_due_to("9999-01-01");
    v1::ListDueCustomersResponse response;
    cases.push_back(
        {"due_to", stub_->ListDueCustomers(&context, request, &response)});
  }
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::BatchRecommendRequest request;
    request.mutable_customer_list()->add_customer_ids("bob");
    request.mutable_customer_list()->add_customer_ids(huge + "\x1b");
    request.set_count(2);
    auto reader = stub_->BatchRecommend(&context, request);
    v1::BatchRecommendResponse message;
    while (reader->Read(&message)) {
    }
    cases.push_back({"customer_list.customer_ids[1]", reader->Finish()});
  }
  // Not valid UTF-8: the request does not even parse. It used to be
  // INTERNAL with an empty message and two log lines per call.
  cases.push_back({"customer_id",
                   RawCall("/recommender.v1.Recommender/Recommend",
                           std::string("\x0a\x03" "C\xff" "1\x10\x02", 7))});
  const std::string event =
      std::string("\x0a\x02\xc3\x28\x12\x06kettle\x18\x01", 14);
  cases.push_back(
      {"events.customer_id",
       RawCall("/recommender.v1.Recommender/RecordEvents",
               absl::StrCat("\x0a", std::string(1, static_cast<char>(event.size())),
                            event))});
  cases.push_back({"request", RawCall("/recommender.v1.Recommender/Recommend",
                                      std::string("\x0a\xff\xff\xff", 4))});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    EXPECT_EQ(c.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.status.error_message();
    EXPECT_EQ(c.status.error_message().rfind(c.field + ":", 0), 0u)
        << c.status.error_message();
    EXPECT_LT(c.status.error_message().size(), 400u);
    EXPECT_TRUE(IsValidUtf8(c.status.error_message()));
    for (char ch : c.status.error_message()) {
      ASSERT_FALSE(static_cast<unsigned char>(ch) < 0x20) << c.status.error_message();
    }
  }
  // A bad event is rejected on its own, naming it: no offset in its time.
  {
    grpc::ClientContext context;
    SetDeadline(&context);
    v1::RecordEventsRequest request;
    v1::Event* event = request.add_events();
    event->set_customer_id("bob");
    event->set_item_id("kettle");
    event->set_type(v1::VIEW);
    event->set_timestamp("2026-03-01T09:30:00");
    v1::RecordEventsResponse response;
    ASSERT_TRUE(stub_->RecordEvents(&context, request, &response).ok());
    ASSERT_EQ(response.rejected_size(), 1);
    EXPECT_EQ(response.rejected(0).field(), "events[0].timestamp");
    EXPECT_NE(response.rejected(0).message().find("offset"), std::string::npos);
  }
  const std::string logged = log.Stop();
  EXPECT_EQ(logged.find("UTF-8"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("call failed"), std::string::npos) << logged;
}

}  // namespace
}  // namespace recommender::serving
