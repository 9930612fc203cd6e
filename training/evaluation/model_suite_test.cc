#include "training/evaluation/model_suite.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "training/evaluation/protocol/testing_shop.h"

namespace recommender {
namespace {

constexpr int64_t kCutoff = 1000;

Event View(int32_t customer, int32_t item, int64_t t) {
  return TestEvent(customer, item, EventType::kView, t);
}

// Six items, four customers. Before the cutoff:
//   C0 buys I0 twice and I1, views I2;  C1 buys I1 and I2, views I3;
//   C2 buys I2 then I3;                 C3 buys I2, views I4.
// Distinct buyers: I2 3, I1 2, I0 1, I3 1. After it each buys one item.
DataSplit Split() {
  const ShopData data = TestShop(
      6, 4,
      {TestPurchase(0, 0, 10), TestPurchase(0, 0, 20), TestPurchase(0, 1, 30),
       View(0, 2, 40), TestPurchase(0, 3, 1100),
       TestPurchase(1, 1, 10), TestPurchase(1, 2, 20), View(1, 3, 30),
       TestPurchase(1, 4, 1100),
       TestPurchase(2, 2, 10), TestPurchase(2, 3, 20), TestPurchase(2, 0, 1100),
       TestPurchase(3, 2, 10), View(3, 4, 20), TestPurchase(3, 1, 1100)});
  return SplitAtTime(data, absl::FromUnixSeconds(kCutoff));
}

SuiteOptions Small() {
  SuiteOptions options;
  options.trainer.ials.factors = 3;
  options.trainer.ials.epochs = 3;
  options.trainer.ials.threads = 1;
  options.trainer.index.kind = IndexKind::kExact;
  options.trainer.timing.fit_pareto_nbd = false;
  options.tuning.enabled = false;
  return options;
}

std::vector<int32_t> Rank(const EvalRanker& ranker, int32_t customer, int count,
                          const absl::flat_hash_set<int32_t>* excluded = nullptr) {
  RankRequest request;
  request.customer = customer;
  request.as_of = absl::FromUnixSeconds(kCutoff);
  request.count = count;
  request.excluded = excluded;
  request.exclude_purchased = excluded != nullptr;
  absl::StatusOr<std::vector<int32_t>> items = ranker.Rank(request);
  EXPECT_TRUE(items.ok()) << items.status();
  return items.ok() ? *items : std::vector<int32_t>();
}

SuiteModel Train(const std::string& name, const SuiteOptions& options = Small()) {
  std::ostringstream log;
  absl::StatusOr<SuiteModel> model = TrainSuiteModel(name, Split(), options, log);
  EXPECT_TRUE(model.ok()) << name << ": " << model.status();
  return model.ok() ? *std::move(model) : SuiteModel();
}

TEST(ModelSuiteTest, InteractionsOfTheBaselines) {
  const InteractionOptions events = EventCounts();
  EXPECT_EQ(events.weights.view, 1);
  EXPECT_EQ(events.weights.cart, 1);
  EXPECT_EQ(events.weights.purchase, 1);
  EXPECT_EQ(events.recency_half_life_days, 0);
  const InteractionOptions purchases = PurchaseCounts();
  EXPECT_EQ(purchases.weights.view, 0);
  EXPECT_EQ(purchases.weights.cart, 0);
  EXPECT_EQ(purchases.weights.purchase, 1);
}

TEST(ModelSuiteTest, NamesInReportOrderAndUnknownOnesRefused) {
  EXPECT_EQ(SuiteModelNames(),
            (std::vector<std::string>{"popularity", "rebuy", "rebuy_popular", "ials",
                                      "itemknn", "ease", "default"}));
  std::ostringstream log;
  EXPECT_EQ(TrainSuiteModel("svd", Split(), Small(), log).status(),
            absl::InvalidArgumentError(
                "--models: unknown model \"svd\" (known: popularity, rebuy, "
                "rebuy_popular, ials, itemknn, ease, default)"));
}

TEST(ModelSuiteTest, Baselines) {
  const SuiteModel popularity = Train("popularity");
  EXPECT_EQ(popularity.name, "popularity");
  EXPECT_GE(popularity.train_seconds, 0);
  EXPECT_EQ(Rank(*popularity.ranker, 0, 3), (std::vector<int32_t>{2, 1, 0}));
  // Own purchases first (most bought, then newest), then the popular rest.
  const SuiteModel rebuy = Train("rebuy");
  EXPECT_EQ(Rank(*rebuy.ranker, 0, 3), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(Rank(*rebuy.ranker, 2, 2), (std::vector<int32_t>{3, 2}));
  // Ties by the shop's buyers instead of recency.
  const SuiteModel rebuy_popular = Train("rebuy_popular");
  EXPECT_EQ(Rank(*rebuy_popular.ranker, 2, 2), (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(popularity.snapshot, nullptr);
}

// Item-kNN on the 0/1 touch matrix, shrinkage 10: C3 touched I2 and I4.
// s(2,1) = s(2,3) = 2 / (2 sqrt 2 + 10) lead; s(2,0) = s(4,2) = s(2,4) =
// 1/12 tie after them, broken by the lower row.
TEST(ModelSuiteTest, ItemKnnAndEaseScoreFromTheCustomersHistory) {
  const SuiteModel knn = Train("itemknn");
  EXPECT_EQ(Rank(*knn.ranker, 3, 3), (std::vector<int32_t>{1, 3, 0}));
  // EASE: I1 and I3 are what co-occurs most with I2.
  const SuiteModel ease = Train("ease");
  std::vector<int32_t> top = Rank(*ease.ranker, 3, 2);
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<int32_t>{1, 3}));
}

TEST(ModelSuiteTest, IalsKeepsOneRankerPerEpochWhenAsked) {
  SuiteOptions options = Small();
  options.record_epochs = true;
  const SuiteModel ials = Train("ials", options);
  EXPECT_EQ(ials.epochs.size(), 3u);
  const std::vector<int32_t> items = Rank(*ials.ranker, 1, 4);
  EXPECT_EQ(items.size(), 4u);
  EXPECT_EQ(absl::flat_hash_set<int32_t>(items.begin(), items.end()).size(), 4u);
  EXPECT_TRUE(Train("ials").epochs.empty());
}

TEST(ModelSuiteTest, TheDefaultModelIsServedFromItsSnapshot) {
  SuiteOptions options = Small();
  options.record_epochs = true;
  const SuiteModel model = Train("default", options);
  ASSERT_NE(model.snapshot, nullptr);
  EXPECT_EQ(model.snapshot->num_items(), 6);
  EXPECT_EQ(model.snapshot->num_customers(), 4);
  EXPECT_EQ(model.epochs.size(), 3u);
  // The "new" task: nothing C0 bought before comes back.
  const absl::flat_hash_set<int32_t> bought = {0, 1};
  const std::vector<int32_t> items = Rank(*model.ranker, 0, 3, &bought);
  EXPECT_FALSE(items.empty());
  for (int32_t item : items) EXPECT_FALSE(bought.contains(item)) << item;
}

}  // namespace
}  // namespace recommender
