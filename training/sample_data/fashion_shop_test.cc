#include "training/sample_data/fashion_shop.h"

#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

SampleShopOptions Small() {
  SampleShopOptions options = FashionShopDefaults();
  options.num_customers = 600;
  options.num_items = 600;
  return options;
}

TEST(FashionShopTest, SameSeedSameShop) {
  const SampleShop a = GenerateFashionShop(Small());
  const SampleShop b = GenerateFashionShop(Small());
  ASSERT_EQ(a.data.events.size(), b.data.events.size());
  for (size_t i = 0; i < a.data.events.size(); ++i) {
    ASSERT_EQ(a.data.events[i].unix_seconds, b.data.events[i].unix_seconds);
    ASSERT_EQ(a.data.events[i].item, b.data.events[i].item);
    ASSERT_EQ(a.data.events[i].type, b.data.events[i].type);
  }
  SampleShopOptions other = Small();
  other.seed += 1;
  EXPECT_NE(GenerateFashionShop(other).data.events.size(),
            a.data.events.size());
}

TEST(FashionShopTest, ViewsDominateAndRepeatsAreFew) {
  const SampleShop shop = GenerateFashionShop(Small());
  std::map<EventType, int> by_type;
  std::map<std::pair<int32_t, int32_t>, int> purchases;
  for (const Event& e : shop.data.events) {
    ++by_type[e.type];
    if (e.type == EventType::kPurchase) ++purchases[{e.customer, e.item}];
  }
  ASSERT_GT(by_type[EventType::kPurchase], 500);
  EXPECT_GT(by_type[EventType::kView], 15 * by_type[EventType::kPurchase]);
  EXPECT_GT(by_type[EventType::kCart], 0);
  int repeated = 0;
  for (const auto& [pair, count] : purchases) {
    if (shop.item_truth[pair.second].durability == Durability::kDurable) {
      EXPECT_EQ(count, 1) << "durable bought twice";
    }
    repeated += count > 1;
  }
  // Only basics are re-bought.
  EXPECT_GT(repeated, 0);
  EXPECT_LT(repeated, static_cast<int>(purchases.size()) / 5);
  int consumables = 0, labeled = 0;
  for (size_t i = 0; i < shop.data.items.size(); ++i) {
    consumables += shop.item_truth[i].durability == Durability::kConsumable;
    labeled += shop.data.items[i].durability != Durability::kUnknown;
  }
  EXPECT_EQ(consumables, 3 * 600 / kFashionCategories);
  EXPECT_GT(labeled, 400);  // 80 % labeled, as the default shop.
}

// New items arrive all year and sell when new: most purchases of the last
// two months are of items nobody had touched four months before the end.
TEST(FashionShopTest, WhatSellsNowArrivedLately) {
  const SampleShopOptions options = Small();
  const SampleShop shop = GenerateFashionShop(options);
  const absl::TimeZone zone = absl::FixedTimeZone(9 * 3600);
  const absl::CivilDay end = options.first_day + options.num_days;
  const int64_t recent = absl::ToUnixSeconds(absl::FromCivil(end - 60, zone));
  const int64_t before = absl::ToUnixSeconds(absl::FromCivil(end - 120, zone));
  absl::flat_hash_map<int32_t, int64_t> first;
  for (const Event& e : shop.data.events) {
    auto [it, inserted] = first.emplace(e.item, e.unix_seconds);
    if (!inserted) it->second = std::min(it->second, e.unix_seconds);
  }
  int recent_purchases = 0, of_new_items = 0;
  for (const Event& e : shop.data.events) {
    if (e.type != EventType::kPurchase || e.unix_seconds < recent ||
        shop.item_truth[e.item].durability != Durability::kDurable) {
      continue;
    }
    ++recent_purchases;
    of_new_items += first.at(e.item) >= before;
  }
  ASSERT_GT(recent_purchases, 50);
  EXPECT_GT(of_new_items, recent_purchases / 2);
}

}  // namespace
}  // namespace recommender
