#include "recommender/live/batch_recommend.h"

#include <string>

#include "gtest/gtest.h"
#include "recommender/live/live_context.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/testing_ranked_shop.h"

namespace recommender {
namespace {

std::unique_ptr<const ModelSnapshot> Shop() {
  TestSnapshotBuilder builder(2);
  builder
      .AddItem("microwave", "kitchen", {1.0f, 0.0f}, snapshot::DURABLE, 100, 9)
      .AddItem("toaster", "kitchen", {0.9f, 0.1f}, snapshot::DURABLE, 100, 8)
      .AddItem("kettle", "kitchen", {0.8f, 0.1f}, snapshot::DURABLE, 100, 7)
      .AddItem("beans", "coffee", {0.1f, 1.0f}, snapshot::CONSUMABLE, 100, 1)
      .AddItem("filters", "coffee", {0.0f, 0.9f}, snapshot::CONSUMABLE, 100, 1)
      .AddItem("grinder", "coffee", {0.1f, 0.8f}, snapshot::DURABLE, 100, 1)
      .AddItem("mug", "coffee", {0.2f, 0.7f}, snapshot::DURABLE, 100, 1);
  for (int i = 0; i < 100; ++i) {
    builder.AddItem("filler-" + std::to_string(i), "misc",
                    {-0.5f, -0.001f * i});
  }
  builder.AddCustomer("cook", {1.0f, 0.0f}, {{"microwave", 1700000000}})
      .AddCustomer("barista", {0.0f, 1.0f}, {{"grinder", 1700000000}})
      .AddCustomer("nobody-yet", {});
  return *ModelSnapshot::FromContents(builder.Build());
}

events::LogRecord Purchase(const std::string& customer,
                           const std::string& item) {
  events::LogRecord record;
  record.set_sequence(1);
  events::LoggedEvent* event = record.add_events();
  event->set_customer_id(customer);
  event->set_item_id(item);
  event->set_type(events::PURCHASE);
  event->set_quantity(1);
  event->set_unix_seconds(1700000100);
  return record;
}

std::vector<int32_t> Items(const std::vector<Recommendation>& picks) {
  std::vector<int32_t> items;
  for (const Recommendation& pick : picks) items.push_back(pick.item);
  return items;
}

// Every customer kind in one block: known, known with a live purchase,
// known without a vector (cold start), unknown to the model.
TEST(BatchRecommendTest, AnswersAsOneCallPerCustomerInOrder) {
  auto model = Shop();
  LiveState live;
  live.Apply(Purchase("cook", "toaster"));
  RecommendQuery query;
  query.count = 3;
  const std::vector<std::string> customers = {"barista", "cook", "nobody-yet",
                                              "stranger", "cook"};
  absl::StatusOr<std::vector<std::vector<Recommendation>>> block =
      RecommendBlock(*model, &live, query, customers);
  ASSERT_TRUE(block.ok()) << block.status();
  ASSERT_EQ(block->size(), customers.size());
  for (size_t i = 0; i < customers.size(); ++i) {
    query.customer_id = customers[i];
    absl::StatusOr<std::vector<Recommendation>> one =
        RecommendWithLiveContext(*model, &live, query);
    ASSERT_TRUE(one.ok()) << one.status();
    EXPECT_EQ(Items((*block)[i]), Items(*one)) << customers[i];
    ASSERT_EQ((*block)[i].size(), one->size());
    for (size_t j = 0; j < one->size(); ++j) {
      EXPECT_EQ((*block)[i][j].reason_text, (*one)[j].reason_text);
    }
  }
  // The live purchase is excluded in the batch too.
  for (const Recommendation& pick : (*block)[1]) {
    EXPECT_NE(model->item(pick.item).id(), "toaster");
  }
}

// A filter the batched search's rows cannot fill still gets every item it
// asked for.
TEST(BatchRecommendTest, ANarrowFilterFallsBackToASearch) {
  auto model = Shop();
  RecommendQuery query;
  query.count = 5;
  query.filter.include_categories = {"misc"};
  absl::StatusOr<std::vector<std::vector<Recommendation>>> block =
      RecommendBlock(*model, nullptr, query, {"cook", "barista"});
  ASSERT_TRUE(block.ok()) << block.status();
  for (const std::vector<Recommendation>& picks : *block) {
    ASSERT_EQ(picks.size(), 5u);
    for (const Recommendation& pick : picks) {
      EXPECT_EQ(model->item(pick.item).category(), "misc");
    }
  }
}

// With a learned ranker the block's search is as wide as the ranker's
// iALS source asks, and every customer's picks are those of their own call.
TEST(BatchRecommendTest, ARankedBlockAnswersAsOneCallPerCustomer) {
  auto model = ModelSnapshot::FromContents(RankedTestShop());
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_NE((*model)->ranker(), nullptr);
  EXPECT_GT(CandidateSearchWidth(**model, 10), 4 * 10 + 16);
  std::vector<std::string> customers = RankedTestShopCustomers();
  customers.resize(64);
  RecommendQuery query;
  query.count = 10;
  auto block = RecommendBlock(**model, nullptr, query, customers);
  ASSERT_TRUE(block.ok()) << block.status();
  ASSERT_EQ(block->size(), customers.size());
  for (size_t i = 0; i < customers.size(); ++i) {
    RecommendQuery one = query;
    one.customer_id = customers[i];
    auto single = Recommend(**model, one);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(Items((*block)[i]), Items(*single)) << customers[i];
  }
}

TEST(BatchRecommendTest, ABadQueryIsRefused) {
  auto model = Shop();
  RecommendQuery query;
  query.count = 0;
  EXPECT_FALSE(RecommendBlock(*model, nullptr, query, {"cook"}).ok());
}

}  // namespace
}  // namespace recommender
