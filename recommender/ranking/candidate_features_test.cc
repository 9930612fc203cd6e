#include "recommender/ranking/candidate_features.h"

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1700000000 + 100 * kDay;

// `filler` more items far from everything, unsold and unrelated.
std::unique_ptr<const ModelSnapshot> Shop(int filler = 0) {
  TestSnapshotBuilder builder(2);
  for (int i = 0; i < filler; ++i) {
    builder.AddItem("filler-" + std::to_string(i), "misc", {-1.0f, -1.0f});
  }
  builder
      .AddItem("beans", "food/coffee", {0.1f, 1.0f}, snapshot::CONSUMABLE, 1200,
               3)
      .AddItem("mug", "kitchen/cups", {0.5f, 0.5f}, snapshot::DURABLE, 900, 1)
      .AddItem("filters", "food/coffee", {0.0f, 0.8f}, snapshot::CONSUMABLE,
               300, 0)
      .AddItem("grinder", "kitchen/appliances", {0.6f, 0.6f}, snapshot::DURABLE,
               5000, 0)
      .AddItem("soap", "home/cleaning", {-1.0f, 0.0f}, snapshot::CONSUMABLE,
               250, 9)
      .AddItem("kettle", "kitchen/appliances", {1.0f, 0.0f}, snapshot::DURABLE,
               4000, 0)
      .AddCustomer("ann", {0.0f, 1.0f},
                   {{"beans", kNow - 40 * kDay}, {"beans", kNow - 10 * kDay}})
      .AddTouch("mug", kNow - 2 * kDay)
      .SetNeighbors("item_knn",
                    {{"beans", "filters", 0.5f}, {"mug", "grinder", 0.25f}})
      .SetDataEnd(kNow);
  return *ModelSnapshot::FromContents(builder.Build());
}

struct Found {
  const float* row = nullptr;
  CandidateSource source = CandidateSource::kIals;
};

Found Find(const ModelSnapshot& model, const CandidateSet& set,
           const std::string& id) {
  for (size_t i = 0; i < set.items.size(); ++i) {
    if (model.item(set.items[i]).id() == id) {
      return {&set.features[i * kNumRankingFeatures], set.best_source[i]};
    }
  }
  return {};
}

CandidateSet Generate(const ModelSnapshot& model, const ItemFilter& filter,
                      int per_source = 2, bool excludes_purchased = false) {
  CandidateRequest request;
  request.customer_row = model.FindCustomer("ann");
  request.taste = model.customer_vector(*request.customer_row);
  request.as_of = absl::FromUnixSeconds(kNow);
  request.count = 1;
  request.excludes_purchased = excludes_purchased;
  CandidateOptions options;
  options.per_source = per_source;
  BoundItemFilter bound(filter, model);
  auto set = GenerateCandidates(model, request, bound, options);
  EXPECT_TRUE(set.ok()) << set.status();
  return *std::move(set);
}

TEST(CandidateFeaturesTest, EverySourceProposesAndDescribesItsItems) {
  auto model = Shop();
  const CandidateSet set = Generate(*model, ItemFilter());
  ASSERT_EQ(set.features.size(), set.items.size() * kNumRankingFeatures);

  const Found beans = Find(*model, set, "beans");
  ASSERT_NE(beans.row, nullptr);
  EXPECT_EQ(beans.row[kPurchaseCount], 2);
  EXPECT_FLOAT_EQ(beans.row[kPurchaseShare], 1);
  EXPECT_FLOAT_EQ(beans.row[kDaysSincePurchase], 10);
  EXPECT_EQ(beans.row[kRebuyRank], 1);
  EXPECT_EQ(beans.row[kIalsRank], 1);  // Taste (0, 1): beans first.
  EXPECT_FLOAT_EQ(beans.row[kIalsScore], 1.0f);
  EXPECT_FLOAT_EQ(beans.row[kPriceRatio], 1.0f);
  EXPECT_FLOAT_EQ(beans.row[kCategoryAffinity], 2.0f / 3);
  EXPECT_EQ(beans.row[kIsConsumable], 1);
  EXPECT_EQ(beans.row[kCustomerPurchases], 2);
  EXPECT_EQ(beans.row[kCustomerDistinctItems], 1);
  EXPECT_FLOAT_EQ(beans.row[kCustomerDaysSinceLastEvent], 2);
  EXPECT_EQ(beans.row[kExcludesPurchased], 0);

  // Viewed two days ago: the touch source, and kNN reaches the grinder
  // from it.
  const Found mug = Find(*model, set, "mug");
  ASSERT_NE(mug.row, nullptr);
  EXPECT_EQ(mug.row[kTouchRank], 1);
  EXPECT_EQ(mug.row[kTouchCount], 1);
  EXPECT_FLOAT_EQ(mug.row[kDaysSinceTouch], 2);
  EXPECT_TRUE(std::isnan(mug.row[kDaysSincePurchase]));
  const Found filters = Find(*model, set, "filters");
  ASSERT_NE(filters.row, nullptr);
  EXPECT_FLOAT_EQ(filters.row[kKnnScore], 0.5f);
  EXPECT_EQ(filters.row[kKnnRank], 1);
  EXPECT_TRUE(std::isnan(filters.row[kEaseScore]));  // No EASE list.
  const Found grinder = Find(*model, set, "grinder");
  ASSERT_NE(grinder.row, nullptr);
  EXPECT_EQ(grinder.row[kKnnRank], 2);

  // The best seller comes from popularity, with its trend (9 + 1) / (0 + 1).
  const Found soap = Find(*model, set, "soap");
  ASSERT_NE(soap.row, nullptr);
  EXPECT_EQ(soap.source, CandidateSource::kPopular);
  EXPECT_EQ(soap.row[kPopularityRank], 1);
  EXPECT_FLOAT_EQ(soap.row[kPopularityTrend], 10);
  EXPECT_TRUE(std::isnan(soap.row[kRebuyRank]));
  // Nothing proposes the kettle (far from the taste, unrelated, unsold).
  EXPECT_EQ(Find(*model, set, "kettle").row, nullptr);
}

TEST(CandidateFeaturesTest, EveryRowSaysWhetherTheRequestLeavesOutPurchases) {
  auto model = Shop();
  for (const bool excludes : {false, true}) {
    const CandidateSet set = Generate(*model, ItemFilter(), 2, excludes);
    ASSERT_FALSE(set.items.empty());
    for (size_t c = 0; c < set.items.size(); ++c) {
      EXPECT_EQ(set.features[c * kNumRankingFeatures + kExcludesPurchased],
                excludes ? 1.0f : 0.0f)
          << set.items[c];
    }
  }
}

TEST(CandidateFeaturesTest, NoSourceProposesAFilteredItem) {
  auto model = Shop();
  ItemFilter filter;
  filter.exclude_item_ids = {"beans", "filters"};
  filter.exclude_categories = {"home"};
  const CandidateSet set = Generate(*model, filter, /*per_source=*/10);
  EXPECT_EQ(Find(*model, set, "beans").row, nullptr);
  EXPECT_EQ(Find(*model, set, "filters").row, nullptr);
  EXPECT_EQ(Find(*model, set, "soap").row, nullptr);
  EXPECT_NE(Find(*model, set, "kettle").row, nullptr);  // iALS reaches it now.
  // The excluded beans still count as the customer's history.
  EXPECT_EQ(Find(*model, set, "mug").row[kCustomerPurchases], 2);
}

// The kNN and EASE sums live in per-thread arrays for catalogs up to 2^18
// items and in a hash map past that; either way, and request after
// request on one thread, the same sums.
TEST(CandidateFeaturesTest,
     NeighborSumsDoNotDependOnCatalogSizeOrEarlierCalls) {
  for (int filler : {0, (1 << 18) + 1}) {
    auto model = Shop(filler);
    for (int call = 0; call < 3; ++call) {
      const CandidateSet set = Generate(*model, ItemFilter());
      const Found filters = Find(*model, set, "filters");
      ASSERT_NE(filters.row, nullptr) << filler;
      EXPECT_FLOAT_EQ(filters.row[kKnnScore], 0.5f) << filler;
      EXPECT_EQ(filters.row[kKnnRank], 1) << filler;
      const Found grinder = Find(*model, set, "grinder");
      ASSERT_NE(grinder.row, nullptr) << filler;
      EXPECT_FLOAT_EQ(grinder.row[kKnnScore], 0.25f) << filler;
      EXPECT_EQ(grinder.row[kKnnRank], 2) << filler;
      // Reached by no history item: 0, not proposed by kNN.
      const Found beans = Find(*model, set, "beans");
      ASSERT_NE(beans.row, nullptr);
      EXPECT_EQ(beans.row[kKnnScore], 0.0f);
      EXPECT_TRUE(std::isnan(beans.row[kKnnRank]));
    }
  }
}

// kNN proposes the best accepted neighbours in order even when the filter
// rejects many of the best (the selection widens past them).
TEST(CandidateFeaturesTest, NeighborSourceSkipsRejectedBestItems) {
  TestSnapshotBuilder builder(2);
  builder.AddItem("seed", "misc", {1.0f, 0.0f});
  std::vector<std::tuple<std::string, std::string, float>> edges;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "n" + std::to_string(i);
    // n0 is the nearest neighbour, n39 the farthest; the first 30 go to
    // a category the filter rejects.
    builder.AddItem(id, i < 30 ? "rejected" : "kept", {0.0f, -1.0f});
    edges.emplace_back("seed", id, 1.0f - static_cast<float>(i) / 100);
  }
  builder.AddCustomer("ann", {1.0f, 0.0f}, {{"seed", kNow - kDay}})
      .SetNeighbors("item_knn", std::move(edges))
      .SetDataEnd(kNow);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  ItemFilter filter;
  filter.exclude_categories = {"rejected"};
  const CandidateSet set = Generate(*model, filter, /*per_source=*/4);
  for (int i = 0; i < 40; ++i) {
    const Found found = Find(*model, set, "n" + std::to_string(i));
    if (i < 30 || i >= 34) {
      EXPECT_TRUE(found.row == nullptr || std::isnan(found.row[kKnnRank]))
          << "n" << i;
    } else {
      ASSERT_NE(found.row, nullptr) << "n" << i;
      EXPECT_EQ(found.row[kKnnRank], i - 29) << "n" << i;
    }
  }
}

// The iALS score of every candidate is the inner product summed in
// dimension order by fused multiply-adds, whether it is computed in a
// block of eight candidates or alone.
TEST(CandidateFeaturesTest, TasteScoresAreSequentialSums) {
  constexpr int kDimension = 37;
  std::mt19937 random(5);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  auto vector = [&] {
    std::vector<float> v(kDimension);
    for (float& x : v) x = uniform(random);
    return v;
  };
  TestSnapshotBuilder builder(kDimension);
  for (int i = 0; i < 30; ++i) {
    builder.AddItem("item-" + std::to_string(i), "misc", vector());
  }
  builder.AddCustomer("ann", vector(), {{"item-0", kNow - kDay}})
      .SetDataEnd(kNow);
  auto model = *ModelSnapshot::FromContents(builder.Build());
  const CandidateSet set = Generate(*model, ItemFilter(), /*per_source=*/21);
  ASSERT_GE(set.items.size(), 21u);
  const absl::Span<const float> taste =
      model->customer_vector(*model->FindCustomer("ann"));
  for (size_t c = 0; c < set.items.size(); ++c) {
    const absl::Span<const float> item = model->item_vector(set.items[c]);
    float expected = 0;
    for (int d = 0; d < kDimension; ++d) {
      expected = std::fma(taste[d], item[d], expected);
    }
    EXPECT_EQ(set.features[c * kNumRankingFeatures + kIalsScore], expected)
        << "candidate " << c;
  }
}

}  // namespace
}  // namespace recommender
