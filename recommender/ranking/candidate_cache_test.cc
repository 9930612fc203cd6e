#include "recommender/ranking/candidate_cache.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/recommend.h"

namespace recommender {
namespace {

CandidateStamp Stamp(int64_t version, std::vector<float> taste,
                     std::vector<int32_t> purchases = {}) {
  return CandidateStamp{version, std::move(taste), std::move(purchases)};
}

std::vector<ScoredItem> List(std::vector<int32_t> items) {
  std::vector<ScoredItem> list;
  float score = 1;
  for (int32_t item : items) list.push_back({item, score -= 0.1f});
  return list;
}

TEST(CandidateCacheTest, HitsOnlyForTheSameStamp) {
  CandidateCache cache({/*max_entries=*/10, /*candidates=*/5});
  EXPECT_EQ(cache.Find("ann", 0, Stamp(1, {1, 0})), nullptr);
  cache.Insert("ann", 0, Stamp(1, {1, 0}), List({3, 4}));
  CandidateList hit = cache.Find("ann", 0, Stamp(1, {1, 0}));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->size(), 2u);
  EXPECT_EQ((*hit)[0].item, 3);
  EXPECT_EQ(cache.Find("bob", 0, Stamp(1, {1, 0})), nullptr);
  const CandidateCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1);
  EXPECT_EQ(stats.misses, 2);
  EXPECT_EQ(stats.entries, 1);
}

// Each input of the stamp kills the entry when it changes: the taste
// (fold-in), the live purchases, the model version.
TEST(CandidateCacheTest, AChangedInputKillsTheEntry) {
  for (const CandidateStamp& changed :
       {Stamp(1, {1, 0.5f}), Stamp(1, {1, 0}, {7}), Stamp(2, {1, 0})}) {
    CandidateCache cache({10, 5});
    cache.Insert("ann", 0, Stamp(1, {1, 0}), List({3}));
    EXPECT_EQ(cache.Find("ann", 0, changed), nullptr);
    // Gone for good, not merely skipped.
    EXPECT_EQ(cache.Find("ann", 0, Stamp(1, {1, 0})), nullptr);
    EXPECT_EQ(cache.stats().invalidations, 1);
    EXPECT_EQ(cache.stats().entries, 0);
  }
}

TEST(CandidateCacheTest, InvalidateAndClearDropEntries) {
  // Room for every key in any one of the 16 shards: which shard a key lands
  // in depends on the process's hash seed, so no eviction may interfere.
  CandidateCache cache({16 * 10, 5});
  cache.Insert("ann", 0, Stamp(1, {1}), List({1}));
  cache.Insert("bob", 0, Stamp(1, {1}), List({2}));
  cache.Insert("cat", 0, Stamp(1, {1}), List({3}));
  cache.Invalidate("ann");
  cache.Invalidate("nobody");
  EXPECT_EQ(cache.Find("ann", 0, Stamp(1, {1})), nullptr);
  EXPECT_NE(cache.Find("bob", 0, Stamp(1, {1})), nullptr);
  cache.Clear();
  EXPECT_EQ(cache.Find("bob", 0, Stamp(1, {1})), nullptr);
  EXPECT_EQ(cache.Find("cat", 0, Stamp(1, {1})), nullptr);
  EXPECT_EQ(cache.stats().invalidations, 3);
  EXPECT_EQ(cache.stats().entries, 0);
}

TEST(CandidateCacheTest, StaysWithinMaxEntriesDroppingTheLeastRecentlyUsed) {
  // 16 shards, one entry each.
  CandidateCache cache({/*max_entries=*/16, 5});
  for (int i = 0; i < 1000; ++i) {
    cache.Insert(absl::StrCat("c", i), 0, Stamp(1, {1}), List({i}));
  }
  const CandidateCache::Stats stats = cache.stats();
  EXPECT_LE(stats.entries, 16);
  EXPECT_EQ(stats.entries + stats.evictions, 1000);
  // The newest survives; the oldest was evicted.
  EXPECT_NE(cache.Find("c999", 0, Stamp(1, {1})), nullptr);
  EXPECT_EQ(cache.Find("c0", 0, Stamp(1, {1})), nullptr);
}

// A customer's slots hold lists with stamps of their own: a stale stamp
// drops only its slot, Invalidate every slot.
TEST(CandidateCacheTest, SlotsKeepTheirOwnListsAndStamps) {
  CandidateCache cache({/*max_entries=*/16, 5});
  cache.Insert("ann", 0, Stamp(1, {1, 0}), List({3}));
  EXPECT_EQ(cache.Find("ann", 1, Stamp(1, {1, 0})), nullptr);
  cache.Insert("ann", 1, Stamp(1, {0, 1}), List({4}));
  ASSERT_NE(cache.Find("ann", 0, Stamp(1, {1, 0})), nullptr);
  ASSERT_NE(cache.Find("ann", 1, Stamp(1, {0, 1})), nullptr);
  EXPECT_EQ((*cache.Find("ann", 1, Stamp(1, {0, 1})))[0].item, 4);
  EXPECT_EQ(cache.stats().entries, 1);

  EXPECT_EQ(cache.Find("ann", 1, Stamp(1, {0, 0.5f})), nullptr);
  EXPECT_EQ(cache.Find("ann", 1, Stamp(1, {0, 1})), nullptr);
  EXPECT_NE(cache.Find("ann", 0, Stamp(1, {1, 0})), nullptr);
  EXPECT_EQ(cache.stats().entries, 1);
  EXPECT_EQ(cache.Find("ann", 0, Stamp(2, {1, 0})), nullptr);
  EXPECT_EQ(cache.stats().entries, 0);  // Both slots are empty now.
  EXPECT_EQ(cache.stats().invalidations, 2);

  cache.Insert("ann", 0, Stamp(1, {1, 0}), List({3}));
  cache.Insert("ann", 1, Stamp(1, {0, 1}), List({4}));
  cache.Invalidate("ann");
  EXPECT_EQ(cache.Find("ann", 0, Stamp(1, {1, 0})), nullptr);
  EXPECT_EQ(cache.Find("ann", 1, Stamp(1, {0, 1})), nullptr);
  EXPECT_EQ(cache.stats().entries, 0);
}

TEST(CandidateCacheTest, ZeroEntriesTurnsItOff) {
  CandidateCache cache({/*max_entries=*/0, 5});
  EXPECT_NE(cache.Insert("ann", 0, Stamp(1, {1}), List({1})), nullptr);
  EXPECT_EQ(cache.Find("ann", 0, Stamp(1, {1})), nullptr);
  EXPECT_EQ(cache.stats().entries, 0);
}

// Recommend with a cache: 2-d taste space, x = kitchen, y = coffee; many
// fillers so that the cached list is shorter than the catalog, and a few
// "rare" items scored last that no cached list holds.
TestSnapshotBuilder ShopBuilder() {
  TestSnapshotBuilder builder(2);
  builder
      .AddItem("microwave", "kitchen", {1.0f, 0.0f}, snapshot::DURABLE)
      .AddItem("rice-cooker", "kitchen", {0.9f, 0.1f}, snapshot::DURABLE)
      .AddItem("kettle", "kitchen", {0.8f, 0.2f}, snapshot::DURABLE)
      .AddItem("beans", "coffee", {0.1f, 1.0f}, snapshot::CONSUMABLE);
  for (int i = 0; i < 300; ++i) {
    builder.AddItem("filler-" + std::to_string(i), "misc",
                    {0.5f - 0.001f * i, 0.0f});
  }
  for (int i = 0; i < 5; ++i) {
    builder.AddItem("rare-" + std::to_string(i), "rare", {-1.0f, -0.1f * i});
  }
  builder.AddCustomer("cook", {1.0f, 0.05f}, {{"microwave", 1700000000}});
  return builder;
}

std::unique_ptr<const ModelSnapshot> Shop(int64_t version = 1) {
  return *ModelSnapshot::FromContents(ShopBuilder().Build(version));
}

// The same shop with one factor per block: kitchen for requests that may
// return what was bought, coffee for those with exclude_purchased.
std::unique_ptr<const ModelSnapshot> ShopServingKindsApart() {
  return *ModelSnapshot::FromContents(
      ShopBuilder()
          .AddFactorBlock(1, snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED)
          .AddFactorBlock(1, snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED)
          .Build(1));
}

RecommendQuery Query(int count) {
  RecommendQuery query;
  query.customer_id = "cook";
  query.count = count;
  return query;
}

std::vector<std::string> Ids(const ModelSnapshot& model,
                             const std::vector<Recommendation>& picks) {
  std::vector<std::string> ids;
  for (const Recommendation& pick : picks) ids.push_back(model.item(pick.item).id());
  return ids;
}

std::vector<std::string> Picks(const ModelSnapshot& model,
                               const RecommendQuery& query,
                               const LiveContext& live, CandidateCache* cache) {
  absl::StatusOr<std::vector<Recommendation>> picks =
      Recommend(model, query, live, cache);
  EXPECT_TRUE(picks.ok()) << picks.status();
  return picks.ok() ? Ids(model, *picks) : std::vector<std::string>{};
}

TEST(CandidateCacheRecommendTest, AHitAnswersAsASearchWould) {
  auto model = Shop();
  CandidateCache cache({100, 40});
  const std::vector<std::string> uncached =
      Picks(*model, Query(5), LiveContext(), nullptr);
  EXPECT_EQ(Picks(*model, Query(5), LiveContext(), &cache), uncached);
  EXPECT_EQ(Picks(*model, Query(5), LiveContext(), &cache), uncached);
  RecommendQuery kitchen = Query(2);
  kitchen.filter.include_categories = {"kitchen"};
  EXPECT_EQ(Picks(*model, kitchen, LiveContext(), &cache),
            Picks(*model, kitchen, LiveContext(), nullptr));
  EXPECT_EQ(uncached.front(), "rice-cooker");  // The microwave is owned.
  EXPECT_EQ(cache.stats().misses, 1);
  EXPECT_EQ(cache.stats().hits, 2);
}

// The rare items are in no cached list: the request falls back to a real
// search and still gets every item it asked for.
TEST(CandidateCacheRecommendTest, AFilterTheListCannotFillSearches) {
  auto model = Shop();
  CandidateCache cache({100, 40});
  Picks(*model, Query(5), LiveContext(), &cache);
  RecommendQuery rare = Query(5);
  rare.filter.include_categories = {"rare"};
  const std::vector<std::string> picks =
      Picks(*model, rare, LiveContext(), &cache);
  EXPECT_EQ(cache.stats().hits, 1);
  EXPECT_EQ(picks, (std::vector<std::string>{"rare-0", "rare-1", "rare-2",
                                             "rare-3", "rare-4"}));
}

// The rice cooker is bought live: whether or not the taste moved, the
// entry computed before the purchase is not used, and the durable is never
// offered again.
TEST(CandidateCacheRecommendTest, ADurableBoughtLiveNeverComesBack) {
  auto model = Shop();
  const int32_t rice_cooker = *model->FindItem("rice-cooker");
  for (bool taste_moved : {false, true}) {
    CandidateCache cache({100, 40});
    ASSERT_EQ(Picks(*model, Query(3), LiveContext(), &cache).front(),
              "rice-cooker");
    LiveContext live;
    live.purchased_items = {rice_cooker};
    live.recent_items = {{rice_cooker, EventType::kPurchase}};
    if (taste_moved) live.taste = {0.95f, 0.1f};
    for (int call = 0; call < 2; ++call) {
      const std::vector<std::string> picks =
          Picks(*model, Query(3), live, &cache);
      EXPECT_EQ(std::count(picks.begin(), picks.end(), "rice-cooker"), 0);
      EXPECT_EQ(picks.size(), 3u);
    }
    EXPECT_EQ(cache.stats().invalidations, 1);
    EXPECT_EQ(cache.stats().hits, 1);  // The second call after the purchase.
  }
}

// A page showing both shelves of a snapshot that serves them with blocks
// of their own: each kind of request searches its own taste and hits its
// own list, answering as a search would.
TEST(CandidateCacheRecommendTest, EachKindOfRequestKeepsItsOwnList) {
  auto model = ShopServingKindsApart();
  RecommendQuery any = Query(3);
  RecommendQuery fresh = Query(3);
  fresh.exclude_purchased = true;
  const std::vector<std::string> any_picks =
      Picks(*model, any, LiveContext(), nullptr);
  const std::vector<std::string> fresh_picks =
      Picks(*model, fresh, LiveContext(), nullptr);
  EXPECT_EQ(any_picks.front(), "rice-cooker");
  EXPECT_EQ(fresh_picks.front(), "beans");
  CandidateCache cache({100, 40});
  for (int page = 0; page < 3; ++page) {
    EXPECT_EQ(Picks(*model, any, LiveContext(), &cache), any_picks);
    EXPECT_EQ(Picks(*model, fresh, LiveContext(), &cache), fresh_picks);
  }
  EXPECT_EQ(cache.stats().misses, 2);
  EXPECT_EQ(cache.stats().hits, 4);
  EXPECT_EQ(cache.stats().invalidations, 0);

  // Where both kinds search one taste, they share one list.
  auto shared = Shop();
  CandidateCache shared_cache({100, 40});
  Picks(*shared, any, LiveContext(), &shared_cache);
  Picks(*shared, fresh, LiveContext(), &shared_cache);
  EXPECT_EQ(shared_cache.stats().misses, 1);
  EXPECT_EQ(shared_cache.stats().hits, 1);
}

TEST(CandidateCacheRecommendTest, AModelSwapKillsTheEntry) {
  auto old_model = Shop(1);
  auto new_model = Shop(2);
  CandidateCache cache({100, 40});
  Picks(*old_model, Query(3), LiveContext(), &cache);
  Picks(*new_model, Query(3), LiveContext(), &cache);
  EXPECT_EQ(cache.stats().hits, 0);
  EXPECT_EQ(cache.stats().invalidations, 1);
}

}  // namespace
}  // namespace recommender
