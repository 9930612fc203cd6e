// End to end: the real server with an event log. Acknowledged events change
// answers at once, survive SIGKILL, and invalid events are rejected one by
// one; anonymous visitors and profile-only customers get sensible picks.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "proto/recommender.grpc.pb.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"
#include "tests/testing/grpc_client.h"
#include "tests/testing/sample_model.h"
#include "tests/testing/server_process.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

using testing::ServerProcess;

std::string Root() { return testing::TestDir("live"); }

std::unique_ptr<grpc::ClientContext> Context() {
  return testing::ContextWithDeadline(absl::Seconds(10));
}

v1::Event MakeEvent(const std::string& customer, const std::string& item,
                    v1::EventType type) {
  v1::Event event;
  event.set_customer_id(customer);
  event.set_item_id(item);
  event.set_type(type);
  return event;
}

class LiveEventsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Two blocks of factors, as a self-tuned model often has: every live
    // event is folded in block by block.
    testing::SampleModelOptions options;
    options.extra_block_factors = 8;
    absl::StatusOr<testing::SuiteModel> trained =
        testing::TrainSampleModelIn(Root(), options);
    ASSERT_TRUE(trained.ok()) << trained.status();
    model_dir_ = new std::string(trained->model_dir);
    auto model = ModelSnapshot::Load(trained->snapshot_dir);
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = model->release();
    ASSERT_EQ(model_->manifest().factor_blocks_size(), 2);
    ASSERT_EQ(model_->dimension(), 16 + 8);
  }

  static void TearDownTestSuite() {
    delete model_;
    delete model_dir_;
  }

  // Starts a server with its own event log folder `name`.
  std::unique_ptr<ServerProcess> StartServer(const std::string& name) {
    auto server = ServerProcess::StartServing(
        *model_dir_,
        {"--event_log_dir=" + JoinPath(Root(), "events-" + name)});
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static v1::RecordEventsResponse Record(ServerProcess& server,
                                         std::vector<v1::Event> events) {
    v1::RecordEventsRequest request;
    for (v1::Event& event : events) *request.add_events() = std::move(event);
    v1::RecordEventsResponse response;
    const grpc::Status status =
        v1::Recommender::NewStub(server.channel())
            ->RecordEvents(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static v1::RecommendResponse Picks(ServerProcess& server,
                                     const v1::RecommendRequest& request) {
    v1::RecommendResponse response;
    const grpc::Status status =
        v1::Recommender::NewStub(server.channel())
            ->Recommend(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static v1::RecommendResponse Picks(ServerProcess& server,
                                     const std::string& customer, int count) {
    v1::RecommendRequest request;
    request.set_customer_id(customer);
    request.set_count(count);
    return Picks(server, request);
  }

  static bool Contains(const v1::RecommendResponse& response,
                       const std::string& item) {
    for (const v1::RecommendedItem& pick : response.items()) {
      if (pick.item_id() == item) return true;
    }
    return false;
  }

  // The first durable among `customer`'s current picks.
  static std::string TopDurablePick(ServerProcess& server,
                                    const std::string& customer) {
    const v1::RecommendResponse response = Picks(server, customer, 50);
    for (const v1::RecommendedItem& pick : response.items()) {
      const std::optional<int32_t> row = model_->FindItem(pick.item_id());
      if (row && model_->item(*row).durability() == snapshot::DURABLE) {
        return pick.item_id();
      }
    }
    return "";
  }

  // Three items of one category that `customer` has not touched.
  static std::vector<std::string> ThreeItemsOfOneCategory() {
    const std::string category = model_->item(0).category();
    std::vector<std::string> items;
    for (int32_t row = 0; row < model_->num_items() && items.size() < 3; ++row) {
      if (model_->item(row).category() == category) {
        items.push_back(model_->item(row).id());
      }
    }
    return items;
  }

  static std::string* model_dir_;
  static const ModelSnapshot* model_;
};

std::string* LiveEventsEndToEndTest::model_dir_ = nullptr;
const ModelSnapshot* LiveEventsEndToEndTest::model_ = nullptr;

// The first two "done when" items: a purchase acknowledged, then the
// process killed with SIGKILL and restarted — the event is still there and
// still affects picks; the purchased durable vanishes without retraining.
TEST_F(LiveEventsEndToEndTest, AcknowledgedEventsChangePicksAndSurviveSigkill) {
  std::unique_ptr<ServerProcess> server = StartServer("sigkill");
  ASSERT_NE(server, nullptr);
  const std::string customer = model_->customer(0).id();
  const std::string durable = TopDurablePick(*server, customer);
  ASSERT_FALSE(durable.empty());
  const std::vector<std::string> viewed = ThreeItemsOfOneCategory();
  ASSERT_EQ(viewed.size(), 3u);
  ASSERT_EQ(Picks(*server, "walk-in-7", 10).items(0).reason(),
            v1::REASON_POPULAR);

  const v1::RecordEventsResponse recorded =
      Record(*server, {MakeEvent(customer, durable, v1::PURCHASE),
                       MakeEvent("walk-in-7", viewed[0], v1::VIEW),
                       MakeEvent("walk-in-7", viewed[1], v1::VIEW),
                       MakeEvent("walk-in-7", viewed[2], v1::VIEW)});
  EXPECT_EQ(recorded.accepted(), 4);
  EXPECT_TRUE(recorded.rejected().empty());
  EXPECT_GT(recorded.sequence(), 0u);
  EXPECT_EQ(recorded.model_version(), model_->version());

  auto check = [&](const char* when) {
    const v1::RecommendResponse mine = Picks(*server, customer, 50);
    EXPECT_EQ(mine.items_size(), 50) << when;
    EXPECT_FALSE(Contains(mine, durable)) << when << ": " << durable;
    // A customer the model never saw, with three views, gets personal picks
    // from the category they browsed.
    const v1::RecommendResponse walk_in = Picks(*server, "walk-in-7", 5);
    ASSERT_EQ(walk_in.items_size(), 5) << when;
    int same_category = 0;
    for (const v1::RecommendedItem& pick : walk_in.items()) {
      EXPECT_EQ(pick.reason(), v1::REASON_PERSONALIZED) << when;
      EXPECT_NE(pick.reason_text().find("you viewed"), std::string::npos)
          << pick.reason_text();
      same_category += pick.category() == model_->item(0).category();
    }
    EXPECT_GE(same_category, 3) << when;
  };
  check("before the kill");

  server->Kill();
  server = StartServer("sigkill");
  ASSERT_NE(server, nullptr);
  check("after SIGKILL and restart");
}

TEST_F(LiveEventsEndToEndTest, InvalidEventsAreRejectedOneByOneAndTheRestKept) {
  std::unique_ptr<ServerProcess> server = StartServer("invalid");
  ASSERT_NE(server, nullptr);
  const std::string item = model_->item(0).id();
  v1::Event future = MakeEvent("C1", item, v1::VIEW);
  future.set_timestamp("2099-01-01T00:00:00Z");
  const v1::RecordEventsResponse response =
      Record(*server, {MakeEvent("C1", item, v1::VIEW),
                       MakeEvent("C1", "NO-SUCH-ITEM", v1::VIEW),
                       MakeEvent("", item, v1::VIEW),
                       MakeEvent("C1", item, v1::EVENT_TYPE_UNSPECIFIED),
                       future, MakeEvent("C2", item, v1::CART)});
  EXPECT_EQ(response.accepted(), 2);
  ASSERT_EQ(response.rejected_size(), 4);
  const std::vector<std::string> fields = {
      "events[1].item_id", "events[2].customer_id", "events[3].type",
      "events[4].timestamp"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(response.rejected(i).field(), fields[i]);
    EXPECT_EQ(response.rejected(i).message().rfind(fields[i], 0), 0u)
        << response.rejected(i).message();
  }

  auto stub = v1::Recommender::NewStub(server->channel());
  v1::RecordEventsRequest empty;
  v1::RecordEventsResponse ignored;
  grpc::Status status = stub->RecordEvents(Context().get(), empty, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("events"), std::string::npos);
  v1::RecordEventsRequest too_many;
  for (int i = 0; i < 1001; ++i) {
    *too_many.add_events() = MakeEvent("C1", item, v1::VIEW);
  }
  status = stub->RecordEvents(Context().get(), too_many, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LiveEventsEndToEndTest, AnonymousVisitorsAndProfilesGetSensiblePicks) {
  std::unique_ptr<ServerProcess> server = StartServer("cold-start");
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> viewed = ThreeItemsOfOneCategory();
  v1::RecommendRequest anonymous;
  anonymous.set_count(5);
  for (const std::string& item : viewed) anonymous.add_recently_viewed_item_ids(item);
  anonymous.set_max_per_category(2);
  const v1::RecommendResponse picks = Picks(*server, anonymous);
  ASSERT_EQ(picks.items_size(), 5);
  absl::flat_hash_map<std::string, int> per_category;
  for (const v1::RecommendedItem& pick : picks.items()) {
    EXPECT_EQ(pick.reason(), v1::REASON_PERSONALIZED);
    EXPECT_FALSE(Contains(picks, viewed[0]));
    EXPECT_LE(++per_category[pick.category()], 2) << pick.category();
  }

  // A new sign-up who gives a profile like an existing customer's.
  v1::RecommendRequest profile;
  profile.set_customer_id("new-signup-1");
  profile.set_count(3);
  const snapshot::Customer& like = model_->customer(0);
  profile.mutable_attributes()->set_age_band(like.age_band());
  profile.mutable_attributes()->set_gender(like.gender());
  const v1::RecommendResponse similar = Picks(*server, profile);
  ASSERT_EQ(similar.items_size(), 3);
  EXPECT_EQ(similar.items(0).reason(), v1::REASON_POPULAR_WITH_SIMILAR_CUSTOMERS);
  EXPECT_NE(similar.items(0).reason_text().find(like.age_band()),
            std::string::npos)
      << similar.items(0).reason_text();
}

// The third "done when" item: a batch over a lapsed-customer
// selector streams exactly the customers who bought before but not in the
// last 60 days — by the model's history and the live events since.
TEST_F(LiveEventsEndToEndTest, LapsedSelectorStreamsTheRightCustomers) {
  std::unique_ptr<ServerProcess> server = StartServer("batch");
  ASSERT_NE(server, nullptr);
  const absl::Time as_of = *ParseIsoTimestamp(model_->manifest().data_end());
  const int64_t cutoff = absl::ToUnixSeconds(as_of) - 60 * kSecondsPerDay;
  std::vector<std::string> expected;
  for (int32_t row = 0; row < model_->num_customers(); ++row) {
    const snapshot::Customer& customer = model_->customer(row);
    if (customer.purchase_times().empty()) continue;
    const int64_t last = *std::max_element(customer.purchase_times().begin(),
                                           customer.purchase_times().end());
    if (last <= cutoff) expected.push_back(customer.id());
  }
  ASSERT_GT(expected.size(), 5u);
  // One lapsed customer buys again (live); a customer new to the model
  // reports a purchase from 100 days back.
  const std::string item = model_->item(0).id();
  v1::Event again = MakeEvent(expected[0], item, v1::PURCHASE);
  again.set_timestamp(FormatRfc3339Utc(as_of - absl::Hours(24)));
  v1::Event old = MakeEvent("returning-9", item, v1::PURCHASE);
  old.set_timestamp(FormatRfc3339Utc(as_of - absl::Hours(24 * 100)));
  EXPECT_EQ(Record(*server, {again, old}).accepted(), 2);
  expected.erase(expected.begin());
  expected.push_back("returning-9");

  v1::BatchRecommendRequest request;
  request.mutable_selector()->set_kind(v1::CustomerSelector::LAPSED);
  request.mutable_selector()->set_days(60);
  request.mutable_selector()->set_as_of(model_->manifest().data_end());
  request.set_count(5);
  request.set_max_per_category(2);
  auto context = Context();
  auto stream = v1::Recommender::NewStub(server->channel())
                    ->BatchRecommend(context.get(), request);
  const testing::StreamResult<v1::BatchRecommendResponse> batch =
      testing::ReadToEnd(*stream);
  std::vector<std::string> streamed;
  for (const v1::BatchRecommendResponse& message : batch.messages) {
    streamed.push_back(message.customer_id());
    EXPECT_EQ(message.position(), static_cast<int64_t>(streamed.size()));
    EXPECT_EQ(message.total(), static_cast<int64_t>(expected.size()));
    EXPECT_EQ(message.model_version(), model_->version());
    EXPECT_EQ(message.items_size(), 5) << message.customer_id();
    absl::flat_hash_map<std::string, int> per_category;
    for (const v1::RecommendedItem& pick : message.items()) {
      EXPECT_FALSE(pick.reason_text().empty());
      EXPECT_LE(++per_category[pick.category()], 2);
    }
  }
  ASSERT_TRUE(batch.status.ok()) << batch.status.error_message();
  EXPECT_EQ(streamed, expected);

  // A bad selector names its field.
  request.mutable_selector()->set_days(0);
  auto bad_context = Context();
  auto bad = v1::Recommender::NewStub(server->channel())
                 ->BatchRecommend(bad_context.get(), request);
  const grpc::Status bad_status = testing::ReadToEnd(*bad).status;
  EXPECT_EQ(bad_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad_status.error_message().find("selector.days"), std::string::npos);
}

// exclude_purchased: everything a customer bought — before training and a
// moment ago — is left out of Recommend and of BatchRecommend, without a
// list of ids; without it, their consumables may come back.
TEST_F(LiveEventsEndToEndTest, ExcludePurchasedCoversHistoryAndLivePurchases) {
  std::unique_ptr<ServerProcess> server = StartServer("exclude-purchased");
  ASSERT_NE(server, nullptr);
  // A customer whose plain picks re-offer something they bought.
  std::string customer;
  absl::flat_hash_set<std::string> bought;
  std::string fresh;  // A plain pick they never bought.
  for (int32_t c = 0; c < model_->num_customers() && customer.empty(); ++c) {
    bought.clear();
    for (int32_t item : model_->customer(c).purchased_items()) {
      bought.insert(model_->item(item).id());
    }
    const v1::RecommendResponse plain = Picks(*server, model_->customer(c).id(), 50);
    bool reoffers = false;
    for (const v1::RecommendedItem& pick : plain.items()) {
      reoffers |= bought.contains(pick.item_id());
      if (fresh.empty() && !bought.contains(pick.item_id())) fresh = pick.item_id();
    }
    if (reoffers && !fresh.empty()) customer = model_->customer(c).id();
    if (customer.empty()) fresh.clear();
  }
  ASSERT_FALSE(customer.empty());
  EXPECT_EQ(Record(*server, {MakeEvent(customer, fresh, v1::PURCHASE)}).accepted(), 1);
  bought.insert(fresh);

  v1::RecommendRequest request;
  request.set_customer_id(customer);
  request.set_count(50);
  request.set_exclude_purchased(true);
  const v1::RecommendResponse picks = Picks(*server, request);
  EXPECT_EQ(picks.items_size(), 50);
  for (const v1::RecommendedItem& pick : picks.items()) {
    EXPECT_FALSE(bought.contains(pick.item_id())) << pick.item_id();
  }

  v1::BatchRecommendRequest batch;
  batch.mutable_customer_list()->add_customer_ids(customer);
  batch.set_count(50);
  batch.set_exclude_purchased(true);
  auto context = Context();
  auto stream =
      v1::Recommender::NewStub(server->channel())->BatchRecommend(context.get(), batch);
  v1::BatchRecommendResponse message;
  ASSERT_TRUE(stream->Read(&message));
  EXPECT_EQ(message.items_size(), 50);
  for (const v1::RecommendedItem& pick : message.items()) {
    EXPECT_FALSE(bought.contains(pick.item_id())) << pick.item_id();
  }
  while (stream->Read(&message)) {
  }
  EXPECT_TRUE(stream->Finish().ok());
}

// Items added to the catalog since training: events may name them, and
// SimilarItems answers for them with their category — after a restart too.
TEST_F(LiveEventsEndToEndTest, NewCatalogItemsAreReachableThroughSimilarItems) {
  std::unique_ptr<ServerProcess> server = StartServer("new-items");
  ASSERT_NE(server, nullptr);
  const std::string category = model_->item(0).category();
  v1::UpsertItemsRequest upsert;
  v1::CatalogItem* item = upsert.add_items();
  item->set_item_id("NEW-1");
  item->set_title("Brand-new thing");
  item->set_category(category);
  item->set_price(1234);
  item->set_in_stock(true);
  *upsert.add_items() = *item;
  upsert.mutable_items(1)->set_item_id(model_->item(0).id());  // Known.
  v1::UpsertItemsResponse upserted;
  auto stub = v1::Recommender::NewStub(server->channel());
  ASSERT_TRUE(stub->UpsertItems(Context().get(), upsert, &upserted).ok());
  EXPECT_EQ(upserted.accepted(), 1);
  ASSERT_EQ(upserted.rejected_size(), 1);
  EXPECT_EQ(upserted.rejected(0).field(), "items[1].item_id");
  EXPECT_EQ(Record(*server, {MakeEvent("C00001", "NEW-1", v1::VIEW)}).accepted(),
            1);

  auto check = [&](const char* when) {
    v1::SimilarItemsRequest request;
    request.set_item_id("NEW-1");
    request.set_count(3);
    v1::SimilarItemsResponse response;
    const grpc::Status status =
        v1::Recommender::NewStub(server->channel())
            ->SimilarItems(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << when << ": " << status.error_message();
    ASSERT_EQ(response.items_size(), 3) << when;
    for (const v1::RecommendedItem& pick : response.items()) {
      EXPECT_EQ(pick.reason(), v1::REASON_SAME_CATEGORY) << when;
      EXPECT_EQ(pick.category(), category) << when;
      EXPECT_NE(pick.reason_text().find("Brand-new thing"), std::string::npos);
    }
  };
  check("before the kill");
  server->Kill();
  server = StartServer("new-items");
  ASSERT_NE(server, nullptr);
  check("after SIGKILL and restart");
}

// The command-line exporter writes one JSON object per customer (or one CSV
// row per pick) for the whole batch.
TEST_F(LiveEventsEndToEndTest, CampaignExporterWritesJsonLinesAndCsv) {
  std::unique_ptr<ServerProcess> server = StartServer("export");
  ASSERT_NE(server, nullptr);
  const std::string jsonl = JoinPath(Root(), "all.jsonl");
  const std::string csv = JoinPath(Root(), "all.csv");
  const std::string common = absl::StrCat(
      "serving/campaign_export --target=", server->target(),
      " --selector=all --count=3 2>", JoinPath(Root(), "export.log"));
  ASSERT_EQ(std::system((common + " --out=" + jsonl).c_str()), 0);
  ASSERT_EQ(std::system((common + " --format=csv --out=" + csv).c_str()), 0);

  const std::vector<std::string> lines =
      absl::StrSplit(*ReadFileToString(jsonl), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(model_->num_customers()));
  absl::flat_hash_set<std::string> customers;
  for (const std::string& line : lines) {
    const nlohmann::json parsed = nlohmann::json::parse(line);
    customers.insert(parsed.at("customer_id").get<std::string>());
    EXPECT_EQ(parsed.at("model_version"), model_->version()) << line;
    ASSERT_EQ(parsed.at("items").size(), 3u) << line;
    for (const nlohmann::json& item : parsed.at("items")) {
      EXPECT_TRUE(model_->FindItem(item.at("item_id").get<std::string>())
                      .has_value())
          << line;
      EXPECT_TRUE(item.at("score").is_number()) << line;
      EXPECT_TRUE(item.at("price").is_number()) << line;
      EXPECT_FALSE(item.at("title").get<std::string>().empty()) << line;
      EXPECT_FALSE(item.at("reason").get<std::string>().empty()) << line;
    }
  }
  EXPECT_EQ(customers.size(), lines.size());
  EXPECT_TRUE(customers.contains(model_->customer(0).id()));

  const std::vector<std::string> rows =
      absl::StrSplit(*ReadFileToString(csv), '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 1 + 3 * static_cast<size_t>(model_->num_customers()));
  EXPECT_EQ(rows[0],
            "customer_id,recommendation_id,campaign_id,arm,rank,item_id,title,"
            "category,price,score,reason,model_version");
  // A fresh recommendation id, no campaign or arm, then rank 1.
  EXPECT_EQ(rows[1].rfind(model_->customer(0).id() + ",r-", 0), 0u) << rows[1];
  EXPECT_NE(rows[1].find(",,,1,"), std::string::npos) << rows[1];

  // A bad flag is reported without contacting anyone.
  EXPECT_NE(std::system(("serving/campaign_export --selector=sometimes 2>" +
                         JoinPath(Root(), "bad.log"))
                            .c_str()),
            0);
  EXPECT_NE(ReadFileToString(JoinPath(Root(), "bad.log"))->find("--selector"),
            std::string::npos);
}

}  // namespace
}  // namespace recommender
