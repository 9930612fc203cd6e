#include "recommender/ranking/recommend.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/testing_ranker.h"
#include "recommender/ltr/xgboost_ranker_model.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/candidate_cache.h"
#include "recommender/ranking/testing_ranked_shop.h"

namespace recommender {
namespace {

// A 2-d taste space: x = kitchen, y = coffee.
TestSnapshotBuilder ShopBuilder() {
  TestSnapshotBuilder builder(2);
  builder
      .AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f},
               snapshot::DURABLE, 19800, 5)
      .AddItem("rice-cooker", "kitchen/appliances", {0.9f, 0.1f},
               snapshot::DURABLE, 15800, 2)
      .AddItem("kettle", "kitchen/appliances", {0.8f, 0.2f}, snapshot::DURABLE,
               4980, 1)
      .AddItem("coffee-beans", "food/coffee", {0.1f, 1.0f},
               snapshot::CONSUMABLE, 1200, 30)
      .AddItem("drip-filters", "food/coffee", {0.0f, 0.8f},
               snapshot::CONSUMABLE, 300, 12)
      .AddItem("dish-soap", "home/cleaning", {0.5f, 0.0f},
               snapshot::CONSUMABLE, 250, 8, /*in_stock=*/false);
  for (int i = 0; i < 40; ++i) {
    builder.AddItem("filler-" + std::to_string(i), "misc", {-1.0f, -1.0f});
  }
  builder
      .AddCustomer("kitchen-fan", {1.0f, 0.05f},
                   {{"microwave", 1700000000}, {"coffee-beans", 1700100000}})
      .AddCustomer("new-signup", {});
  return builder;
}

std::unique_ptr<const ModelSnapshot> Shop() {
  return *ModelSnapshot::FromContents(ShopBuilder().Build(42));
}

RecommendQuery Query(const std::string& customer_id, int count) {
  RecommendQuery query;
  query.customer_id = customer_id;
  query.count = count;
  return query;
}

SimilarItemsQuery Similar(const std::string& item_id, int count) {
  SimilarItemsQuery query;
  query.item_id = item_id;
  query.count = count;
  return query;
}

std::vector<std::string> Ids(const ModelSnapshot& model,
                             const std::vector<Recommendation>& picks) {
  std::vector<std::string> ids;
  for (const Recommendation& pick : picks) ids.push_back(model.item(pick.item).id());
  return ids;
}

TEST(RecommendTest, NeverReturnsAnOwnedDurableButMayReofferConsumables) {
  auto model = Shop();
  auto picks = Recommend(*model, Query("kitchen-fan", 4));
  ASSERT_TRUE(picks.ok()) << picks.status();
  // The microwave scores highest for this customer but is owned and durable.
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"rice-cooker", "kettle", "dish-soap",
                                      "coffee-beans"}));
  for (const Recommendation& pick : *picks) {
    EXPECT_EQ(pick.reason, ReasonCode::kPersonalized);
  }
  EXPECT_EQ((*picks)[0].reason_text, "similar to microwave you bought");
  // A re-offered item is not explained by its likeness to itself.
  EXPECT_EQ((*picks)[3].reason_text, "you bought this before");
  EXPECT_GE((*picks)[0].score, (*picks)[1].score);
}

// Coffee beans are re-bought every 30 days: right after a purchase they are
// left out; when due they lead, with a reason saying why.
TEST(RecommendTest, RepurchaseStageSuppressesJustBoughtAndBoostsDue) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f},
                  snapshot::DURABLE)
      .AddItem("kettle", "kitchen/appliances", {0.9f, 0.1f}, snapshot::DURABLE)
      .AddItem("coffee-beans", "food/coffee", {0.6f, 0.5f})
      .AddItem("drip-filters", "food/coffee", {-0.5f, 0.8f})
      .AddCustomer("regular", {1.0f, 0.2f},
                   {{"coffee-beans", 1700000000},
                    {"coffee-beans", 1700000000 + 30 * 86400},
                    {"coffee-beans", 1700000000 + 60 * 86400}})
      .SetRepurchaseCycle("coffee-beans", 30)
      .SetDataEnd(1700000000 + 62 * 86400);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  RecommendQuery query = Query("regular", 2);
  // As of the data end (2 days after a purchase): left out.
  auto fresh = Recommend(*model, query);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(Ids(*model, *fresh),
            (std::vector<std::string>{"microwave", "kettle"}));
  // 28 days after it: first, explained.
  query.as_of = absl::FromUnixSeconds(1700000000 + 88 * 86400);
  auto due = Recommend(*model, query);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(Ids(*model, *due),
            (std::vector<std::string>{"coffee-beans", "microwave"}));
  EXPECT_EQ((*due)[0].reason, ReasonCode::kRepurchaseDue);
  EXPECT_EQ((*due)[0].reason_text,
            "re-bought about every 30 days; last bought 28 days ago");
  // Without the stage the taste order is back.
  query.repurchase.emplace().enabled = false;
  auto plain = Recommend(*model, query);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(Ids(*model, *plain),
            (std::vector<std::string>{"microwave", "kettle"}));
}

// Drip filters are re-bought every 20 days, irregularly: a week after a
// purchase they are neither just bought nor due, but may well be bought
// this week; boosted by that chance they join the picks, explained, without
// the "due" reason.
TEST(RecommendTest, RepurchaseStageBoostsNotYetDueByItsChance) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f})
      .AddItem("kettle", "kitchen/appliances", {0.9f, 0.1f})
      .AddItem("drip-filters", "food/coffee", {-0.5f, 0.8f})
      .AddCustomer("regular", {1.0f, 0.2f},
                   {{"drip-filters", 1700000000 + 20 * 86400},
                    {"drip-filters", 1700000000 + 40 * 86400},
                    {"drip-filters", 1700000000 + 60 * 86400}})
      .SetRepurchaseCycle("drip-filters", 20, /*log_sd=*/0.6)
      .SetDataEnd(1700000000 + 67 * 86400);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  RecommendQuery query = Query("regular", 2);
  query.repurchase.emplace().boost_weight = 20;
  auto picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok()) << picks.status();
  ASSERT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"drip-filters", "microwave"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPersonalized);
  EXPECT_EQ((*picks)[0].reason_text,
            "re-bought about every 20 days; last bought 7 days ago");
  query.repurchase->boost_not_yet_due = false;
  picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"microwave", "kettle"}));
}

// A taste pick that is also a consumable the customer re-buys (not due) is
// explained by its cycle rather than by its likeness to itself.
TEST(RecommendTest, TastePickThatIsReboughtIsExplainedByItsCycle) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f})
      .AddItem("coffee-beans", "food/coffee", {0.6f, 0.5f})
      .AddCustomer("regular", {1.0f, 0.2f},
                   {{"coffee-beans", 1700000000 + 30 * 86400},
                    {"coffee-beans", 1700000000 + 60 * 86400}})
      .SetRepurchaseCycle("coffee-beans", 30)
      .SetDataEnd(1700000000 + 72 * 86400);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  auto picks = Recommend(*model, Query("regular", 2));
  ASSERT_TRUE(picks.ok()) << picks.status();
  ASSERT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"microwave", "coffee-beans"}));
  EXPECT_EQ((*picks)[1].reason, ReasonCode::kPersonalized);
  EXPECT_EQ((*picks)[1].reason_text,
            "re-bought about every 30 days; last bought 12 days ago");
}

TEST(RecommendTest, AppliesTheFilterAndWidensTheSearch) {
  auto model = Shop();
  RecommendQuery query = Query("kitchen-fan", 3);
  query.filter.in_stock_only = true;
  query.filter.max_price = 5000;
  auto picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"kettle", "coffee-beans",
                                      "drip-filters"}));

  // Only "misc" remains far down the ranking; the search must reach it.
  RecommendQuery misc = Query("kitchen-fan", 30);
  misc.filter.include_categories = {"misc"};
  picks = Recommend(*model, misc);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(picks->size(), 30u);
}

TEST(RecommendTest, FewerThanCountWhenTheFilterLeavesFewer) {
  auto model = Shop();
  RecommendQuery query = Query("kitchen-fan", 10);
  query.filter.include_categories = {"food/coffee"};
  auto picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(picks->size(), 2u);
}

TEST(RecommendTest, UnknownCustomerGetsPopularItemsSaidSo) {
  auto model = Shop();
  auto picks = Recommend(*model, Query("someone-new", 3));
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"coffee-beans", "drip-filters",
                                      "dish-soap"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPopular);
  EXPECT_NE((*picks)[0].reason_text.find("popular"), std::string::npos);
  EXPECT_NE((*picks)[0].reason_text.find("not known"), std::string::npos);
}

TEST(RecommendTest, CustomerWithoutVectorGetsPopularItems) {
  auto model = Shop();
  auto picks = Recommend(*model, Query("new-signup", 2));
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPopular);
  EXPECT_NE((*picks)[0].reason_text.find("no history"), std::string::npos);
}

TEST(RecommendTest, InvalidQueriesNameTheField) {
  auto model = Shop();
  struct Case {
    RecommendQuery query;
    std::string field;
  };
  RecommendQuery bad_filter = Query("kitchen-fan", 3);
  bad_filter.filter.max_price = -3;
  for (const Case& c : std::vector<Case>{{Query("", 3), "customer_id"},
                                         {Query("kitchen-fan", 0), "count"},
                                         {Query("kitchen-fan", -1), "count"},
                                         {Query("kitchen-fan", 101), "count"},
                                         {bad_filter, "filter.max_price"}}) {
    auto picks = Recommend(*model, c.query);
    ASSERT_FALSE(picks.ok()) << c.field;
    EXPECT_EQ(picks.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(picks.status().message().find(c.field), std::string::npos)
        << picks.status();
  }
}

TEST(SimilarItemsTest, NearestItemsWithoutTheAnchor) {
  auto model = Shop();
  auto similar = SimilarItems(*model, Similar("microwave", 2));
  ASSERT_TRUE(similar.ok()) << similar.status();
  EXPECT_EQ(Ids(*model, *similar),
            (std::vector<std::string>{"rice-cooker", "kettle"}));
  EXPECT_EQ((*similar)[0].reason, ReasonCode::kSimilarItem);
  EXPECT_EQ((*similar)[0].reason_text, "similar to microwave");
}

TEST(SimilarItemsTest, UnknownItemIsNotFoundAndBadCountIsInvalid) {
  auto model = Shop();
  EXPECT_EQ(SimilarItems(*model, Similar("toaster", 2)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(SimilarItems(*model, Similar("", 2)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SimilarItems(*model, Similar("microwave", 0)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RecommendTest, LivePurchasesOfDurablesAreExcluded) {
  auto model = Shop();
  LiveContext live;
  live.purchased_items = {*model->FindItem("rice-cooker"),
                          *model->FindItem("coffee-beans")};
  auto picks = Recommend(*model, Query("kitchen-fan", 3), live);
  ASSERT_TRUE(picks.ok());
  // The rice cooker (durable) is gone; coffee beans (consumable) may stay.
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"kettle", "dish-soap", "coffee-beans"}));
}

TEST(RecommendTest, LiveTasteReplacesTheSnapshotVectorAndExplainsWithViews) {
  auto model = Shop();
  LiveContext live;
  live.taste = {0.0f, 1.0f};  // Now into coffee.
  live.recent_items = {{*model->FindItem("drip-filters"), EventType::kView}};
  auto picks = Recommend(*model, Query("new-signup", 2), live);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"coffee-beans", "drip-filters"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPersonalized);
  EXPECT_EQ((*picks)[0].reason_text, "similar to drip-filters you viewed");
}

TEST(RecommendTest, AnonymousVisitorWithViewsIsValidAndViewedItemsAreNotReturned) {
  auto model = Shop();
  RecommendQuery query = Query("", 2);
  query.recently_viewed_item_ids = {"coffee-beans", "no-such-item"};
  LiveContext live;
  live.taste = {0.0f, 1.0f};
  auto picks = Recommend(*model, query, live);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"drip-filters", "kettle"}));
}

TEST(RecommendTest, CategoryCapSpreadsThePicks) {
  auto model = Shop();
  RecommendQuery query = Query("kitchen-fan", 3);
  query.max_per_category = 1;
  auto picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"rice-cooker", "dish-soap",
                                      "coffee-beans"}));
  query.max_per_category = -1;
  EXPECT_EQ(Recommend(*model, query).status().code(),
            absl::StatusCode::kInvalidArgument);

  SimilarItemsQuery similar = Similar("microwave", 3);
  similar.max_per_category = 1;
  auto similar_picks = SimilarItems(*model, similar);
  ASSERT_TRUE(similar_picks.ok());
  EXPECT_EQ(Ids(*model, *similar_picks),
            (std::vector<std::string>{"rice-cooker", "dish-soap",
                                      "coffee-beans"}));
}

// Twelve women in Tokyo bought drip filters; an unknown customer who says
// she is one of them gets those first, then the shop's popular items.
TEST(RecommendTest, AttributesGiveItemsPopularWithSimilarCustomers) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("bestseller", "food", {1, 0}, snapshot::CONSUMABLE, 100, 50)
      .AddItem("filters", "food", {0, 1}, snapshot::CONSUMABLE, 100, 12)
      .AddItem("kettle", "kitchen", {1, 1}, snapshot::DURABLE, 100, 1);
  for (int i = 0; i < 12; ++i) {
    builder.AddCustomer("f" + std::to_string(i), {})
        .WithAttributes("30-39", "f", "Tokyo");
  }
  SnapshotContents contents = builder.Build();
  for (int i = 0; i < 12; ++i) {
    contents.customers.mutable_customers(i)->add_purchased_items(1);
    contents.customers.mutable_customers(i)->add_purchase_times(1700000000);
  }
  auto model = *ModelSnapshot::FromContents(std::move(contents));

  RecommendQuery query = Query("someone-new", 3);
  query.attributes = {"30-39", "f", "Osaka"};
  auto picks = Recommend(*model, query);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"filters", "bestseller", "kettle"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPopularWithSimilarCustomers);
  EXPECT_EQ((*picks)[0].reason_text,
            "popular with customers like you (30-39, f)");
  EXPECT_EQ((*picks)[1].reason, ReasonCode::kPopular);

  // A known customer without history uses the attributes the model has.
  picks = Recommend(*model, Query("f3", 1));
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks), (std::vector<std::string>{"filters"}));
}

TEST(SimilarItemsTest, NewItemsGetTheirCategoryThenItsParent) {
  auto model = Shop();
  auto picks = SimilarItemsInCategory(
      *model, {"Induction hob", "kitchen/appliances/hobs"}, Similar("hob-1", 4));
  ASSERT_TRUE(picks.ok()) << picks.status();
  // No item sits in kitchen/appliances/hobs: its parent's, most bought first.
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"microwave", "rice-cooker", "kettle"}));
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kSameCategory);
  EXPECT_EQ((*picks)[0].reason_text,
            "in the same category (kitchen/appliances) as Induction hob");
  auto coffee = SimilarItemsInCategory(*model, {"Cold brew", "food/coffee"},
                                       Similar("cold-brew", 1));
  ASSERT_TRUE(coffee.ok());
  EXPECT_EQ(Ids(*model, *coffee), (std::vector<std::string>{"coffee-beans"}));
  EXPECT_EQ(SimilarItemsInCategory(*model, {"x", "food"}, Similar("x", 0))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RecommendTest, RecentlyViewedLimitsAreChecked) {
  auto model = Shop();
  RecommendQuery query = Query("", 3);
  query.recently_viewed_item_ids.assign(kMaxRecentlyViewed + 1, "microwave");
  auto picks = Recommend(*model, query);
  EXPECT_EQ(picks.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(picks.status().message().find("recently_viewed_item_ids"),
            std::string::npos);
  query.recently_viewed_item_ids = {"microwave", ""};
  picks = Recommend(*model, query);
  EXPECT_NE(picks.status().message().find("recently_viewed_item_ids[1]"),
            std::string::npos)
      << picks.status();
}

// A learned ranker that has learned "the more often bought, the better"
// would put the microwave the customer owns first: it is never returned.
std::unique_ptr<const ModelSnapshot> RankedShop(
    RankingFeature loved,
    snapshot::ServedRequests requests = snapshot::SERVED_REQUESTS_EVERY) {
  TestSnapshotBuilder builder(2);
  builder
      .AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f}, snapshot::DURABLE,
               19800, 5)
      .AddItem("coffee-beans", "food/coffee", {0.1f, 1.0f}, snapshot::CONSUMABLE,
               1200, 30)
      .AddItem("kettle", "kitchen/appliances", {0.8f, 0.2f}, snapshot::DURABLE,
               4980, 1)
      .AddItem("toaster", "kitchen/appliances", {0.7f, 0.1f}, snapshot::DURABLE,
               3980, 2)
      .AddItem("tea", "food/tea", {0.0f, 0.9f}, snapshot::CONSUMABLE, 800, 12)
      .AddCustomer("regular", {1.0f, 0.3f},
                   {{"microwave", 1700000000},
                    {"microwave", 1700000000 + 86400},
                    {"microwave", 1700000000 + 2 * 86400},
                    {"coffee-beans", 1700000000 + 3 * 86400},
                    {"coffee-beans", 1700000000 + 20 * 86400}})
      .SetDataEnd(1700000000 + 30 * 86400)
      .SetRanker(TrainTestRanker(loved));
  SnapshotContents contents = builder.Build();
  contents.manifest.mutable_ranker()->set_requests(requests);
  return *ModelSnapshot::FromContents(std::move(contents));
}

TEST(RecommendTest, LearnedRankerOrdersButNeverReturnsAnOwnedDurable) {
  auto model = RankedShop(kPurchaseCount);
  ASSERT_NE(model->ranker(), nullptr);
  auto picks = Recommend(*model, Query("regular", 3));
  ASSERT_TRUE(picks.ok()) << picks.status();
  ASSERT_EQ(picks->size(), 3u);
  // Bought twice: the ranker's favourite among what may be offered.
  EXPECT_EQ(model->item((*picks)[0].item).id(), "coffee-beans");
  EXPECT_EQ((*picks)[0].reason_text, "you bought this before");
  for (const Recommendation& pick : *picks) {
    EXPECT_NE(model->item(pick.item).id(), "microwave");
  }
  // The filter and the category cap hold as well.
  RecommendQuery capped = Query("regular", 3);
  capped.max_per_category = 1;
  capped.filter.exclude_item_ids = {"coffee-beans"};
  picks = Recommend(*model, capped);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*model, *picks).size(), 2u);  // One appliance, the tea.
  for (const Recommendation& pick : *picks) {
    EXPECT_NE(model->item(pick.item).id(), "coffee-beans");
  }
}

TEST(RecommendTest, LearnedRankerFollowsItsModelAndExplainsPopularPicks) {
  auto model = RankedShop(kRecentPurchases);
  auto picks = Recommend(*model, Query("regular", 2));
  ASSERT_TRUE(picks.ok()) << picks.status();
  // Most bought lately: coffee beans (30), then tea (12).
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"coffee-beans", "tea"}));
  EXPECT_GE((*picks)[0].score, (*picks)[1].score);
  // Without the ranker the same snapshot ranks by taste.
  picks = RecommendWithRanking(*model, LearnedRanking(), Query("regular", 2));
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks), (std::vector<std::string>{"kettle", "toaster"}));
  // A cold start does not use the ranker.
  RecommendQuery visitor;
  visitor.recently_viewed_item_ids = {"unknown-item"};
  picks = Recommend(*model, visitor);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ((*picks)[0].reason, ReasonCode::kPopular);
}

// A ranker kept for one kind of request only: the other kind ranks as
// without it (by taste).
TEST(RecommendTest, ARankerForOneKindOfRequestLeavesTheOtherToTheTaste) {
  RecommendQuery fresh = Query("regular", 2);
  fresh.exclude_purchased = true;
  // Ranked: most bought lately first (tea 12, toaster 2 of what was never
  // bought; coffee beans 30 and tea of all). By taste: kettle, toaster.
  auto for_new = RankedShop(kRecentPurchases,
                            snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED);
  auto picks = Recommend(*for_new, Query("regular", 2));
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*for_new, *picks),
            (std::vector<std::string>{"kettle", "toaster"}));
  picks = Recommend(*for_new, fresh);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*for_new, *picks),
            (std::vector<std::string>{"tea", "toaster"}));

  auto for_rest = RankedShop(kRecentPurchases,
                             snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED);
  picks = Recommend(*for_rest, Query("regular", 2));
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*for_rest, *picks),
            (std::vector<std::string>{"coffee-beans", "tea"}));
  picks = Recommend(*for_rest, fresh);
  ASSERT_TRUE(picks.ok()) << picks.status();
  EXPECT_EQ(Ids(*for_rest, *picks),
            (std::vector<std::string>{"kettle", "toaster"}));
}

// The served ranker (the trees as flat arrays) ranks every customer of a
// shop exactly as the same model scored through XGBoost's C API: same
// items, order, scores and reasons, never an owned durable.
TEST(RecommendTest, ServedRankerRanksExactlyAsXgboost) {
  SnapshotContents contents = RankedTestShop();
  auto reference =
      LoadXgboostRankerCApi(contents.ranker_model, kNumRankingFeatures);
  ASSERT_TRUE(reference.ok()) << reference.status();
  auto model = ModelSnapshot::FromContents(std::move(contents));
  ASSERT_TRUE(model.ok()) << model.status();
  LearnedRanking through_xgboost = SnapshotRanking(**model);
  ASSERT_NE(through_xgboost.model, nullptr);
  through_xgboost.model = reference->get();
  std::set<float> scores;
  for (const std::string& customer : RankedTestShopCustomers()) {
    const RecommendQuery query = Query(customer, 20);
    auto served = Recommend(**model, query);
    auto expected = RecommendWithRanking(**model, through_xgboost, query);
    ASSERT_TRUE(served.ok()) << served.status();
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_EQ(served->size(), 20u);
    ASSERT_EQ(served->size(), expected->size());
    const snapshot::Customer& row =
        (*model)->customer(*(*model)->FindCustomer(customer));
    const std::set<int32_t> bought(row.purchased_items().begin(),
                                   row.purchased_items().end());
    for (size_t i = 0; i < served->size(); ++i) {
      const Recommendation& pick = (*served)[i];
      EXPECT_EQ(pick.item, (*expected)[i].item) << customer << " #" << i;
      EXPECT_EQ(pick.score, (*expected)[i].score) << customer << " #" << i;
      EXPECT_EQ(pick.reason_text, (*expected)[i].reason_text);
      EXPECT_FALSE(bought.count(pick.item) > 0 &&
                   (*model)->item(pick.item).durability() == snapshot::DURABLE)
          << customer << " owns " << (*model)->item(pick.item).id();
      scores.insert(pick.score);
    }
  }
  // The ranker's scores vary: the order is the model's, not the tie-break.
  EXPECT_GT(scores.size(), 1000u);
}

TEST(RecommendTest, RankerCandidatesAreWhatTheRankerScores) {
  auto model = RankedShop(kPurchaseCount);
  auto candidates = RankerCandidates(*model, CandidateOptions(), Query("regular", 2));
  ASSERT_TRUE(candidates.ok()) << candidates.status();
  ASSERT_FALSE(candidates->items.empty());
  EXPECT_EQ(candidates->features.size(),
            candidates->items.size() * kNumRankingFeatures);
  // Each candidate's excludes_purchased column.
  auto excludes = [&](size_t c) {
    return candidates->features[c * kNumRankingFeatures + kExcludesPurchased];
  };
  for (size_t c = 0; c < candidates->items.size(); ++c) {
    const std::string& id = model->item(candidates->items[c]).id();
    EXPECT_NE(id, "microwave");  // Stage 1 holds.
    EXPECT_EQ(excludes(c), 0) << id;
  }
  // The request's exclude_purchased reaches the ranker as a column.
  RecommendQuery fresh = Query("regular", 2);
  fresh.exclude_purchased = true;
  candidates = RankerCandidates(*model, CandidateOptions(), fresh);
  ASSERT_TRUE(candidates.ok()) << candidates.status();
  ASSERT_FALSE(candidates->items.empty());
  for (size_t c = 0; c < candidates->items.size(); ++c) {
    EXPECT_EQ(excludes(c), 1) << model->item(candidates->items[c]).id();
  }
  RecommendQuery visitor;
  visitor.recently_viewed_item_ids = {"tea"};
  candidates = RankerCandidates(*model, CandidateOptions(), visitor);
  ASSERT_TRUE(candidates.ok());
  EXPECT_TRUE(candidates->items.empty());
}

// With the candidate cache a ranked Recommend answers exactly as without
// it (the ranker's iALS source takes its items from the cached list), a
// customer's second call is a hit, and a durable bought live never comes
// back from a list cached before the purchase.
TEST(RecommendTest, RankedRecommendUsesTheCandidateCacheAndAnswersAsWithout) {
  auto model = ModelSnapshot::FromContents(RankedTestShop());
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_NE((*model)->ranker(), nullptr);
  CandidateCache cache(CandidateCache::Options{1000, 64});
  std::vector<std::string> customers = RankedTestShopCustomers();
  customers.resize(40);
  auto expect_same = [&](const std::vector<Recommendation>& a,
                         const std::vector<Recommendation>& b,
                         const std::string& customer) {
    ASSERT_EQ(a.size(), b.size()) << customer;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].item, b[i].item) << customer << " #" << i;
      EXPECT_EQ(a[i].score, b[i].score) << customer << " #" << i;
      EXPECT_EQ(a[i].reason_text, b[i].reason_text) << customer << " #" << i;
    }
  };
  for (const std::string& customer : customers) {
    auto plain = Recommend(**model, Query(customer, 20));
    auto miss = Recommend(**model, Query(customer, 20), LiveContext(), &cache);
    auto hit = Recommend(**model, Query(customer, 20), LiveContext(), &cache);
    ASSERT_TRUE(plain.ok() && miss.ok() && hit.ok());
    ASSERT_EQ(plain->size(), 20u);
    expect_same(*plain, *miss, customer);
    expect_same(*plain, *hit, customer);
  }
  EXPECT_EQ(cache.stats().misses, 40);
  EXPECT_EQ(cache.stats().hits, 40);

  // The first customer's best durable pick, bought live.
  const std::string& buyer = customers[0];
  auto before = Recommend(**model, Query(buyer, 20), LiveContext(), &cache);
  ASSERT_TRUE(before.ok());
  int32_t durable = -1;
  for (const Recommendation& pick : *before) {
    if ((*model)->item(pick.item).durability() == snapshot::DURABLE) {
      durable = pick.item;
      break;
    }
  }
  ASSERT_GE(durable, 0);
  LiveContext bought;
  bought.purchased_items = {durable};
  auto after = Recommend(**model, Query(buyer, 20), bought, &cache);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 20u);
  for (const Recommendation& pick : *after) EXPECT_NE(pick.item, durable);
  EXPECT_EQ(cache.stats().invalidations, 1);
  auto uncached = Recommend(**model, Query(buyer, 20), bought);
  ASSERT_TRUE(uncached.ok());
  expect_same(*uncached, *after, buyer);
}

// exclude_purchased: nothing the customer bought comes back, of any class,
// whether the snapshot or a live event knows the purchase.
TEST(RecommendTest, ExcludePurchasedLeavesOutEverythingBought) {
  auto model = Shop();
  RecommendQuery query = Query("kitchen-fan", 3);
  query.exclude_purchased = true;
  LiveContext live;
  live.purchased_items = {*model->FindItem("dish-soap")};
  auto picks = Recommend(*model, query, live);
  ASSERT_TRUE(picks.ok()) << picks.status();
  // Microwave (durable) and coffee beans (consumable) from the snapshot,
  // dish soap (consumable) from the live purchase: all left out.
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"rice-cooker", "kettle", "drip-filters"}));
  // Without it, consumables bought may come back.
  query.exclude_purchased = false;
  picks = Recommend(*model, query, live);
  ASSERT_TRUE(picks.ok());
  EXPECT_EQ(Ids(*model, *picks),
            (std::vector<std::string>{"rice-cooker", "kettle", "dish-soap"}));
}

// A model whose blocks serve the two kinds of request apart: the first
// (kitchen) only requests that may return what was bought, the second
// (coffee) only those with exclude_purchased.
TEST(RecommendTest, EachKindOfRequestScoresWithItsOwnBlocks) {
  auto model = ModelSnapshot::FromContents(
      ShopBuilder()
          .AddFactorBlock(1, snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED)
          .AddFactorBlock(1, snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED)
          .Build(42));
  ASSERT_TRUE(model.ok()) << model.status();
  // kitchen-fan's taste is (1, 0.05).
  RecommendQuery query = Query("kitchen-fan", 3);
  auto kitchen = Recommend(**model, query);
  ASSERT_TRUE(kitchen.ok()) << kitchen.status();
  EXPECT_EQ(Ids(**model, *kitchen),
            (std::vector<std::string>{"rice-cooker", "kettle", "dish-soap"}));
  EXPECT_EQ(RankingTaste(**model, query, LiveContext()),
            (std::vector<float>{1.0f, 0.0f}));
  query.exclude_purchased = true;
  auto coffee = Recommend(**model, query);
  ASSERT_TRUE(coffee.ok()) << coffee.status();
  EXPECT_EQ(
      Ids(**model, *coffee),
      (std::vector<std::string>{"drip-filters", "kettle", "rice-cooker"}));
  EXPECT_EQ(RankingTaste(**model, query, LiveContext()),
            (std::vector<float>{0.0f, 0.05f}));
}

// A consumable due again is not moved back in when the request asks for
// nothing bought before.
TEST(RecommendTest, ExcludePurchasedWinsOverTheRepurchaseStage) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("microwave", "kitchen/appliances", {1.0f, 0.0f},
                  snapshot::DURABLE)
      .AddItem("kettle", "kitchen/appliances", {0.9f, 0.1f}, snapshot::DURABLE)
      .AddItem("coffee-beans", "food/coffee", {0.6f, 0.5f})
      .AddItem("drip-filters", "food/coffee", {-0.5f, 0.8f})
      .AddCustomer("regular", {1.0f, 0.2f},
                   {{"coffee-beans", 1700000000},
                    {"coffee-beans", 1700000000 + 30 * 86400}})
      .SetRepurchaseCycle("coffee-beans", 30)
      .SetDataEnd(1700000000 + 31 * 86400);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  RecommendQuery query = Query("regular", 3);
  query.as_of = absl::FromUnixSeconds(1700000000 + 58 * 86400);
  auto due = Recommend(*model, query);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_FALSE(due->empty());
  EXPECT_EQ(model->item((*due)[0].item).id(), "coffee-beans");
  query.exclude_purchased = true;
  auto fresh = Recommend(*model, query);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(Ids(*model, *fresh),
            (std::vector<std::string>{"microwave", "kettle", "drip-filters"}));
}

// A heavy buyer (a wholesale account with more distinct items than any
// request list may hold): the server excludes them all, and fills the list
// from what is left, for the taste path and the popularity fallback alike.
TEST(RecommendTest, ExcludePurchasedHasNoCap) {
  constexpr int kItems = 1600;
  constexpr int kBought = 1500;
  TestSnapshotBuilder builder(2);
  for (int i = 0; i < kItems; ++i) {
    // The bought items are the ones the taste likes best.
    const float x = i < kBought ? 1.0f : 0.5f;
    builder.AddItem("item-" + std::to_string(i), "all", {x, 0.01f * (i % 7)},
                    snapshot::CONSUMABLE, 100, kItems - i);
  }
  std::vector<std::pair<std::string, int64_t>> purchases;
  for (int i = 0; i < kBought; ++i) {
    purchases.emplace_back("item-" + std::to_string(i), 1700000000 + i);
  }
  builder.AddCustomer("key-account", {1.0f, 0.0f}, purchases)
      .AddCustomer("key-account-no-vector", {}, purchases);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  for (const char* customer : {"key-account", "key-account-no-vector"}) {
    RecommendQuery query = Query(customer, 50);
    query.exclude_purchased = true;
    query.repurchase.emplace().enabled = false;
    auto picks = Recommend(*model, query);
    ASSERT_TRUE(picks.ok()) << picks.status();
    ASSERT_EQ(picks->size(), 50u) << customer;
    for (const Recommendation& pick : *picks) {
      EXPECT_GE(pick.item, kBought) << customer << " " << model->item(pick.item).id();
    }
  }
  // The same exclusion as an explicit list is over the request limit.
  RecommendQuery listed = Query("key-account", 50);
  for (const auto& [id, when] : purchases) listed.filter.exclude_item_ids.push_back(id);
  EXPECT_EQ(Recommend(*model, listed).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recommender
