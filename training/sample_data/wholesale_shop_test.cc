#include "training/sample_data/wholesale_shop.h"

#include <cstdlib>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

SampleShopOptions Small() {
  SampleShopOptions options = WholesaleShopDefaults();
  options.num_customers = 200;
  options.num_items = 400;
  return options;
}

TEST(WholesaleShopTest, SameSeedSameShop) {
  const SampleShop a = GenerateWholesaleShop(Small());
  const SampleShop b = GenerateWholesaleShop(Small());
  ASSERT_EQ(a.data.events.size(), b.data.events.size());
  for (size_t i = 0; i < a.data.events.size(); ++i) {
    ASSERT_EQ(a.data.events[i].unix_seconds, b.data.events[i].unix_seconds);
    ASSERT_EQ(a.data.events[i].item, b.data.events[i].item);
    ASSERT_EQ(a.data.events[i].quantity, b.data.events[i].quantity);
  }
  SampleShopOptions other = Small();
  other.seed += 1;
  EXPECT_NE(GenerateWholesaleShop(other).data.events.size(),
            a.data.events.size());
}

// A flat catalog without labels, purchases only: written without a
// durability column, it loads back with every item unknown.
TEST(WholesaleShopTest, FlatUnlabeledCatalogAndPurchasesOnly) {
  const SampleShop shop = GenerateWholesaleShop(Small());
  std::set<std::string> categories;
  int staples = 0;
  for (size_t i = 0; i < shop.data.items.size(); ++i) {
    categories.insert(shop.data.items[i].category);
    EXPECT_EQ(shop.data.items[i].durability, Durability::kUnknown);
    staples += shop.item_truth[i].durability == Durability::kConsumable;
  }
  EXPECT_EQ(categories.size(), 1u);
  EXPECT_GT(staples, 100);
  EXPECT_LT(staples, 220);
  for (const Event& e : shop.data.events) {
    ASSERT_EQ(e.type, EventType::kPurchase);
  }
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "wholesale");
  ASSERT_TRUE(WriteSampleShop(shop, dir).ok());
  const std::string catalog = *ReadFileToString(JoinPath(dir, kCatalogFile));
  EXPECT_EQ(catalog.substr(0, catalog.find('\n')),
            "item_id,title,category,price,in_stock");
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->events.size(), shop.data.events.size());
  for (const CatalogItem& item : loaded->items) {
    EXPECT_EQ(item.durability, Durability::kUnknown);
  }
}

// At the profile's own size, key accounts buy more than 1,000 distinct
// items (the case that broke request-side exclusion lists).
TEST(WholesaleShopTest, KeyAccountsBuyThousandsOfDistinctItems) {
  const SampleShop shop = GenerateWholesaleShop(WholesaleShopDefaults());
  std::vector<std::set<int32_t>> distinct(shop.data.customers.size());
  for (const Event& e : shop.data.events) distinct[e.customer].insert(e.item);
  int over_1000 = 0, buyers = 0;
  for (const auto& items : distinct) {
    over_1000 += items.size() > 1000;
    buyers += !items.empty();
  }
  EXPECT_GE(over_1000, 3);
  EXPECT_LT(over_1000, buyers / 20);  // Few customers, not all.
}

// Staples are re-ordered at gaps near their cycle (the next order after
// they run out: at or a little above it); one-off lines never twice.
TEST(WholesaleShopTest, StaplesAreReorderedOneOffsAreNot) {
  const SampleShop shop = GenerateWholesaleShop(Small());
  std::map<std::pair<int32_t, int32_t>, std::vector<const Event*>> lines;
  for (const Event& e : shop.data.events)
    lines[{e.customer, e.item}].push_back(&e);
  int staple_pairs = 0, staple_repeats = 0, gaps = 0;
  double ratio_sum = 0;
  for (const auto& [pair, events] : lines) {
    const ItemTruth& truth = shop.item_truth[pair.second];
    if (truth.durability == Durability::kDurable) {
      EXPECT_EQ(events.size(), 1u);
      continue;
    }
    ++staple_pairs;
    staple_repeats += events.size() > 1;
    // Days = cycle x multiplier x units of the previous order (the truth
    // files' meaning), then the wait for the next order.
    const double multiplier = shop.customer_truth[pair.first].cycle_multiplier;
    for (size_t k = 1; k < events.size(); ++k) {
      const double days =
          (events[k]->unix_seconds - events[k - 1]->unix_seconds) / 86400.0;
      ratio_sum +=
          days / (truth.cycle_days * multiplier * events[k - 1]->quantity);
      ++gaps;
    }
  }
  ASSERT_GT(staple_pairs, 500);
  EXPECT_GT(static_cast<double>(staple_repeats) / staple_pairs, 0.3);
  ASSERT_GT(gaps, 1000);
  EXPECT_GT(ratio_sum / gaps, 0.9);
  EXPECT_LT(ratio_sum / gaps, 2.5);
}

// Lines launched during the window: their first order comes late.
TEST(WholesaleShopTest, NewLinesArriveDuringTheWindow) {
  const SampleShopOptions options = Small();
  const SampleShop shop = GenerateWholesaleShop(options);
  absl::flat_hash_map<int32_t, int64_t> first;
  for (const Event& e : shop.data.events) {
    auto [it, inserted] = first.emplace(e.item, e.unix_seconds);
    if (!inserted) it->second = std::min(it->second, e.unix_seconds);
  }
  const int64_t half_way = absl::ToUnixSeconds(absl::FromCivil(
      options.first_day + options.num_days / 2, absl::FixedTimeZone(9 * 3600)));
  int late = 0;
  for (const auto& [item, t] : first) late += t > half_way;
  EXPECT_GT(late, 20);
}

}  // namespace
}  // namespace recommender
