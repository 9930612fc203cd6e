#include "recommender/live/live_context.h"

#include <string>

#include "gtest/gtest.h"
#include "recommender/live/fold_in.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

// Two tastes in a 2-d space: kitchen along x, coffee along y.
std::unique_ptr<const ModelSnapshot> Shop(uint64_t event_log_sequence = 0) {
  TestSnapshotBuilder builder(2);
  builder
      .AddItem("microwave", "kitchen", {1.0f, 0.0f}, snapshot::DURABLE, 100, 9)
      .AddItem("toaster", "kitchen", {0.9f, 0.1f}, snapshot::DURABLE, 100, 8)
      .AddItem("kettle", "kitchen", {0.8f, 0.1f}, snapshot::DURABLE, 100, 7)
      .AddItem("beans", "coffee", {0.1f, 1.0f}, snapshot::CONSUMABLE, 100, 1)
      .AddItem("filters", "coffee", {0.0f, 0.9f}, snapshot::CONSUMABLE, 100, 1)
      .AddItem("grinder", "coffee", {0.1f, 0.8f}, snapshot::DURABLE, 100, 1)
      .AddItem("mug", "coffee", {0.2f, 0.7f}, snapshot::DURABLE, 100, 1)
      .AddCustomer("cook", {1.0f, 0.0f}, {{"microwave", 1700000000}});
  SnapshotContents contents = builder.Build();
  contents.manifest.set_event_log_sequence(event_log_sequence);
  return *ModelSnapshot::FromContents(std::move(contents));
}

events::LogRecord Record(uint64_t sequence, const std::string& customer,
                         std::vector<std::pair<std::string, events::EventType>>
                             events) {
  events::LogRecord record;
  record.set_sequence(sequence);
  int64_t time = 1700000100;
  for (const auto& [item, type] : events) {
    events::LoggedEvent* event = record.add_events();
    event->set_customer_id(customer);
    event->set_item_id(item);
    event->set_type(type);
    event->set_quantity(1);
    event->set_unix_seconds(time++);
  }
  return record;
}

RecommendQuery Query(const std::string& customer_id, int count) {
  RecommendQuery query;
  query.customer_id = customer_id;
  query.count = count;
  return query;
}

std::vector<std::string> Ids(const ModelSnapshot& model,
                             const std::vector<Recommendation>& picks) {
  std::vector<std::string> ids;
  for (const Recommendation& pick : picks) {
    ids.push_back(model.item(pick.item).id());
  }
  return ids;
}

// The example: a customer the model never saw views three coffee
// items and gets personal coffee picks, not the (kitchen) bestsellers.
TEST(LiveContextTest, UnknownCustomerWithThreeViewsGetsPersonalPicks) {
  auto model = Shop();
  LiveState live;
  live.Apply(Record(1, "newcomer",
                    {{"beans", events::VIEW},
                     {"filters", events::VIEW},
                     {"beans", events::VIEW}}));
  const RecommendQuery query = Query("newcomer", 3);
  const LiveContext context = BuildLiveContext(*model, &live, query);
  ASSERT_EQ(context.taste.size(), 2u);
  EXPECT_GT(context.taste[1], context.taste[0]);
  auto picks = Recommend(*model, query, context);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"beans", "filters", "grinder"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPersonalized);
  EXPECT_NE((*picks)[2].reason_text.find("you viewed"), std::string::npos);

  // Without the live events the same customer gets popular items.
  auto cold = Recommend(*model, query, BuildLiveContext(*model, nullptr, query));
  ASSERT_TRUE(cold.ok());
  EXPECT_EQ((*cold)[0].reason, ReasonCode::kPopular);
  EXPECT_EQ(model->item((*cold)[0].item).id(), "microwave");
}

TEST(LiveContextTest, LivePurchaseOfADurableIsExcludedAtOnce) {
  auto model = Shop();
  LiveState live;
  auto before = Recommend(*model, Query("cook", 1),
                          BuildLiveContext(*model, &live, Query("cook", 1)));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Ids(*model, *before), (std::vector<std::string>{"toaster"}));

  live.Apply(Record(1, "cook", {{"toaster", events::PURCHASE}}));
  const LiveContext context = BuildLiveContext(*model, &live, Query("cook", 1));
  ASSERT_EQ(context.purchased_items.size(), 1u);
  auto after = Recommend(*model, Query("cook", 1), context);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Ids(*model, *after), (std::vector<std::string>{"kettle"}));
}

TEST(LiveContextTest, EventsTheModelWasTrainedOnAreNotCountedTwice) {
  auto model = Shop(/*event_log_sequence=*/5);
  LiveState live;
  live.Apply(Record(5, "cook", {{"toaster", events::PURCHASE}}));
  LiveContext context = BuildLiveContext(*model, &live, Query("cook", 1));
  EXPECT_TRUE(context.purchased_items.empty());
  EXPECT_TRUE(context.taste.empty());
  live.Apply(Record(6, "cook", {{"kettle", events::PURCHASE}}));
  context = BuildLiveContext(*model, &live, Query("cook", 1));
  EXPECT_EQ(context.purchased_items.size(), 1u);
}

TEST(LiveContextTest, ViewsMoveAKnownCustomerAndUnknownItemsAreSkipped) {
  auto model = Shop();
  LiveState live;
  live.Apply(Record(1, "cook",
                    {{"beans", events::VIEW},
                     {"grinder", events::CART},
                     {"mug", events::VIEW},
                     {"not-in-model", events::PURCHASE}}));
  const LiveContext context = BuildLiveContext(*model, &live, Query("cook", 2));
  ASSERT_EQ(context.recent_items.size(), 3u);
  EXPECT_EQ(model->item(context.recent_items[0].item).id(), "mug");
  EXPECT_TRUE(context.purchased_items.empty());
  // Folded in from the microwave purchase plus the coffee events.
  ASSERT_EQ(context.taste.size(), 2u);
  EXPECT_GT(context.taste[1], 0.1f);
}

TEST(LiveContextTest, AFoldedTasteIsSolvedOncePerChangeOfTheLiveEvents) {
  auto model = Shop();
  LiveState live;
  live.Apply(Record(1, "cook", {{"kettle", events::VIEW}}));
  const LiveContext first = BuildLiveContext(*model, &live, Query("cook", 2));
  ASSERT_FALSE(first.taste.empty());
  EXPECT_FALSE(live.EventsWithTaste("cook", 0, model->version())
                   .remembered_taste.empty());
  // The same events again: the remembered vector, the same context.
  const LiveContext second = BuildLiveContext(*model, &live, Query("cook", 2));
  EXPECT_EQ(second.taste, first.taste);
  EXPECT_EQ(second.recent_items.size(), first.recent_items.size());

  // A new event: solved again from all of them, as without the memo.
  live.Apply(Record(2, "cook", {{"toaster", events::PURCHASE}}));
  const LiveContext moved = BuildLiveContext(*model, &live, Query("cook", 2));
  EXPECT_NE(moved.taste, first.taste);
  EXPECT_EQ(moved.purchased_items.size(), 1u);
  LiveState fresh;
  fresh.Apply(Record(1, "cook", {{"kettle", events::VIEW}}));
  fresh.Apply(Record(2, "cook", {{"toaster", events::PURCHASE}}));
  EXPECT_EQ(BuildLiveContext(*model, &fresh, Query("cook", 2)).taste,
            moved.taste);

  // Views sent with the request are this visit's only: folded in, not
  // remembered, and the remembered vector is not used for them.
  RecommendQuery with_views = Query("cook", 2);
  with_views.recently_viewed_item_ids = {"kettle"};
  const LiveContext viewed = BuildLiveContext(*model, &live, with_views);
  EXPECT_NE(viewed.taste, moved.taste);
  EXPECT_EQ(live.EventsWithTaste("cook", 0, model->version()).remembered_taste,
            moved.taste);
}

TEST(LiveContextTest, RecentlyViewedFoldInForAnonymousVisitors) {
  auto model = Shop();
  RecommendQuery query = Query("", 2);
  query.recently_viewed_item_ids = {"filters", "unknown-item"};
  const LiveContext context = BuildLiveContext(*model, nullptr, query);
  ASSERT_EQ(context.taste.size(), 2u);
  auto picks = Recommend(*model, query, context);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*model, *picks), (std::vector<std::string>{"beans", "grinder"}));
  EXPECT_EQ((*picks)[0].reason_text, "similar to filters you viewed");
}

TEST(FoldInTest, NothingToFitGivesNoVector) {
  auto model = Shop();
  EXPECT_TRUE(FoldIn(*model, std::nullopt, {}).empty());
  EXPECT_TRUE(FoldIn(*model, std::nullopt, {{0, 0.0f}}).empty());
  EXPECT_EQ(FoldIn(*model, std::nullopt, {{0, 1.0f}}).size(), 2u);
  // The customer's own interactions are the starting point.
  EXPECT_EQ(FoldIn(*model, model->FindCustomer("cook"), {}).size(), 2u);
}

TEST(FoldInTest, SnapshotWithoutParametersCannotFoldIn) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("a", "x", {1, 0});
  SnapshotContents contents = builder.Build();
  contents.manifest.mutable_parameters()->clear();
  auto model = *ModelSnapshot::FromContents(std::move(contents));
  EXPECT_FALSE(model->fold_in_parameters().has_value());
  EXPECT_TRUE(FoldIn(*model, std::nullopt, {{0, 1.0f}}).empty());
}

// An item added since training (UpsertItems) has no vector: SimilarItems
// answers with items of its category; without the live catalog it is
// unknown.
TEST(LiveContextTest, SimilarItemsOfAnItemAddedSinceTraining) {
  const auto model = Shop();
  LiveCatalog catalog;
  events::LogRecord record;
  events::LoggedItem* added = record.add_items();
  added->set_item_id("espresso-machine");
  added->set_title("Espresso machine");
  added->set_category("coffee");
  catalog.Apply(record);
  SimilarItemsQuery query;
  query.item_id = "espresso-machine";
  query.count = 3;
  absl::StatusOr<std::vector<Recommendation>> picks =
      SimilarItemsWithLiveCatalog(*model, &catalog, query);
  ASSERT_TRUE(picks.ok()) << picks.status();
  ASSERT_EQ(picks->size(), 3u);
  for (const Recommendation& pick : *picks) {
    EXPECT_EQ(model->item(pick.item).category(), "coffee");
    EXPECT_EQ(pick.reason, ReasonCode::kSameCategory);
  }
  EXPECT_EQ(SimilarItemsWithLiveCatalog(*model, nullptr, query).status().code(),
            absl::StatusCode::kNotFound);
  // An item the model knows is answered by its vector as before.
  query.item_id = "beans";
  absl::StatusOr<std::vector<Recommendation>> known =
      SimilarItemsWithLiveCatalog(*model, &catalog, query);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_EQ(Ids(*model, *known), Ids(*model, *SimilarItems(*model, query)));
}

}  // namespace
}  // namespace recommender
