#include "training/sample_data/sample_shop.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "gtest/gtest.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

SampleShopOptions Small() {
  SampleShopOptions options;
  options.num_customers = 300;
  options.num_items = 100;
  return options;
}

TEST(SampleShopTest, SameSeedSameShop) {
  const SampleShop a = GenerateSampleShop(Small());
  const SampleShop b = GenerateSampleShop(Small());
  ASSERT_EQ(a.data.events.size(), b.data.events.size());
  for (size_t i = 0; i < a.data.events.size(); ++i) {
    EXPECT_EQ(a.data.events[i].unix_seconds, b.data.events[i].unix_seconds);
    EXPECT_EQ(a.data.events[i].item, b.data.events[i].item);
  }
  SampleShopOptions other = Small();
  other.seed += 1;
  EXPECT_NE(GenerateSampleShop(other).data.events.size(), a.data.events.size());
}

TEST(SampleShopTest, HasAllEventTypesBothClassesAndUnlabeledItems) {
  const SampleShop shop = GenerateSampleShop(Small());
  EXPECT_EQ(shop.data.items.size(), 100u);
  EXPECT_EQ(shop.data.customers.size(), 300u);
  std::map<EventType, int> by_type;
  for (const Event& e : shop.data.events) ++by_type[e.type];
  EXPECT_GT(by_type[EventType::kView], by_type[EventType::kPurchase]);
  EXPECT_GT(by_type[EventType::kCart], 0);
  EXPECT_GT(by_type[EventType::kPurchase], 1000);
  int unlabeled = 0, durable = 0, consumable = 0;
  for (size_t i = 0; i < shop.data.items.size(); ++i) {
    if (shop.data.items[i].durability == Durability::kUnknown) ++unlabeled;
    if (shop.item_truth[i].durability == Durability::kDurable) ++durable;
    if (shop.item_truth[i].durability == Durability::kConsumable) {
      ++consumable;
      EXPECT_GT(shop.item_truth[i].cycle_days, 5);
    }
  }
  EXPECT_EQ(durable, 50);
  EXPECT_EQ(consumable, 50);
  EXPECT_GT(unlabeled, 5);
  EXPECT_LT(unlabeled, 40);
}

// The ground truth must describe the data: consumables are re-bought by the
// same customer at gaps near their cycle, durables almost never.
TEST(SampleShopTest, RepurchaseBehaviourMatchesGroundTruth) {
  const SampleShop shop = GenerateSampleShop(Small());
  std::map<std::pair<int32_t, int32_t>, std::vector<int64_t>> purchases;
  for (const Event& e : shop.data.events) {
    if (e.type == EventType::kPurchase) {
      purchases[{e.customer, e.item}].push_back(e.unix_seconds);
    }
  }
  int durable_pairs = 0, durable_repeats = 0;
  int consumable_pairs = 0, consumable_repeats = 0;
  double ratio_sum = 0;
  int gaps = 0;
  for (const auto& [pair, times] : purchases) {
    const ItemTruth& truth = shop.item_truth[pair.second];
    if (truth.durability == Durability::kDurable) {
      ++durable_pairs;
      durable_repeats += times.size() > 1;
    } else {
      ++consumable_pairs;
      consumable_repeats += times.size() > 1;
      for (size_t k = 1; k < times.size(); ++k) {
        const double gap_days = (times[k] - times[k - 1]) / 86400.0;
        ratio_sum += gap_days / truth.cycle_days;
        ++gaps;
      }
    }
  }
  ASSERT_GT(durable_pairs, 100);
  ASSERT_GT(consumable_pairs, 100);
  EXPECT_LT(static_cast<double>(durable_repeats) / durable_pairs, 0.05);
  EXPECT_GT(static_cast<double>(consumable_repeats) / consumable_pairs, 0.6);
  // Mean gap / cycle is near 1 (customer multipliers, double packs and
  // pauses push it a little above).
  const double mean_ratio = ratio_sum / gaps;
  EXPECT_GT(mean_ratio, 0.9);
  EXPECT_LT(mean_ratio, 1.4);
}

TEST(SampleShopTest, WrittenFilesLoadWithoutErrors) {
  const SampleShop shop = GenerateSampleShop(Small());
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "shop");
  ASSERT_TRUE(WriteSampleShop(shop, dir).ok());
  EXPECT_TRUE(PathExists(JoinPath(dir, kItemTruthFile)));
  EXPECT_TRUE(PathExists(JoinPath(dir, kCustomerTruthFile)));
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->events.size(), shop.data.events.size());
  EXPECT_EQ(loaded->items.size(), shop.data.items.size());
}

TEST(SampleShopTest, GroundTruthReadsBackAsWritten) {
  const SampleShop shop = GenerateSampleShop(Small());
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "truth");
  ASSERT_TRUE(WriteSampleShop(shop, dir).ok());
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  absl::StatusOr<SampleShop> truth = ReadSampleShopTruth(dir, *loaded);
  ASSERT_TRUE(truth.ok()) << truth.status();
  ASSERT_EQ(truth->item_truth.size(), shop.item_truth.size());
  for (size_t i = 0; i < shop.item_truth.size(); ++i) {
    const int32_t row = loaded->item_rows.at(shop.data.items[i].id);
    EXPECT_EQ(truth->item_truth[row].durability, shop.item_truth[i].durability);
    EXPECT_NEAR(truth->item_truth[row].cycle_days, shop.item_truth[i].cycle_days,
                0.05);
  }
  int churned = 0;
  for (size_t c = 0; c < shop.customer_truth.size(); ++c) {
    const int32_t row = loaded->customer_rows.at(shop.data.customers[c].id);
    EXPECT_NEAR(truth->customer_truth[row].cycle_multiplier,
                shop.customer_truth[c].cycle_multiplier, 5e-4);
    EXPECT_EQ(truth->customer_truth[row].churn_day,
              shop.customer_truth[c].churn_day);
    churned += shop.customer_truth[c].churn_day.has_value();
  }
  EXPECT_GT(churned, 0);
  EXPECT_EQ(ReadSampleShopTruth(JoinPath(dir, "nowhere"), *loaded)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// Streaming writes the very shop GenerateSampleShop builds: loaded back,
// every event matches (the loader sorts by customer and time).
TEST(SampleShopTest, StreamedShopEqualsTheGeneratedOne) {
  const SampleShop shop = GenerateSampleShop(Small());
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "streamed");
  absl::StatusOr<SampleShopStats> stats = StreamSampleShop(Small(), dir);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->events, static_cast<int64_t>(shop.data.events.size()));
  EXPECT_EQ(stats->customers, 300);
  EXPECT_GT(stats->events_bytes, 40 * stats->events);
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::vector<Event> expected = shop.data.events;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Event& a, const Event& b) {
                     return a.customer < b.customer;
                   });
  ASSERT_EQ(loaded->events.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(loaded->events[i].customer, expected[i].customer) << i;
    EXPECT_EQ(loaded->events[i].item, expected[i].item) << i;
    EXPECT_EQ(loaded->events[i].unix_seconds, expected[i].unix_seconds) << i;
    EXPECT_EQ(loaded->events[i].type, expected[i].type) << i;
  }
  EXPECT_TRUE(PathExists(JoinPath(dir, kCustomerTruthFile)));
}

// Large categories pick items by sampling: still deterministic, still
// popularity-skewed, and every item can be reached.
TEST(SampleShopTest, LargeCatalogPicksAreSkewedAndDeterministic) {
  SampleShopOptions options;
  options.num_customers = 200;
  options.num_items = 20 * 1000;  // 1000 per category: sampled picks.
  const SampleShop a = GenerateSampleShop(options);
  const SampleShop b = GenerateSampleShop(options);
  ASSERT_EQ(a.data.events.size(), b.data.events.size());
  std::vector<int> bought(options.num_items, 0);
  for (size_t i = 0; i < a.data.events.size(); ++i) {
    ASSERT_EQ(a.data.events[i].item, b.data.events[i].item);
    ++bought[a.data.events[i].item];
  }
  // Items are dealt to categories round-robin: rows 0..19 are each
  // category's most popular item, rows 19980.. the least popular.
  int head = 0, tail = 0;
  for (int i = 0; i < 20 * 50; ++i) head += bought[i];
  for (int i = 20 * 950; i < 20 * 1000; ++i) tail += bought[i];
  EXPECT_GT(head, 3 * tail);
  EXPECT_GT(tail, 0);
}

// A fingerprint of every generated event: the default profile must keep
// generating the very shop the project's documented figures come from.
uint64_t Fingerprint(const SampleShop& shop) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a.
  auto mix = [&](int64_t value) {
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= static_cast<uint64_t>(value >> (8 * byte)) & 0xff;
      hash *= 1099511628211ull;
    }
  };
  for (const Event& e : shop.data.events) {
    mix(e.customer);
    mix(e.item);
    mix(static_cast<int64_t>(e.type));
    mix(e.quantity);
    mix(e.unix_seconds);
    mix(static_cast<int64_t>(e.unit_price * 100));
  }
  for (const CatalogItem& item : shop.data.items) {
    mix(static_cast<int64_t>(item.price * 100));
    mix(static_cast<int64_t>(item.durability));
  }
  return hash;
}

TEST(SampleShopTest, DefaultProfileIsUnchanged) {
  SampleShopOptions options = Small();
  EXPECT_EQ(options.profile, ShopProfile::kDefault);
  EXPECT_EQ(Fingerprint(GenerateSampleShop(options)), 733766824239757004ull);
}

TEST(SampleShopTest, ProfilesByName) {
  for (ShopProfile profile :
       {ShopProfile::kDefault, ShopProfile::kWholesale, ShopProfile::kFashion}) {
    EXPECT_EQ(ParseShopProfile(ShopProfileName(profile)), profile);
    const SampleShopOptions options = ProfileDefaults(profile);
    EXPECT_EQ(options.profile, profile);
    EXPECT_TRUE(ValidateSampleShopOptions(options).ok());
    // Every profile's history ends on the same day.
    EXPECT_EQ(options.first_day + options.num_days, absl::CivilDay(2026, 10, 1));
  }
  EXPECT_FALSE(ParseShopProfile("retail").has_value());
}

TEST(SampleShopTest, OptionErrorsNameTheFlag) {
  SampleShopOptions options = ProfileDefaults(ShopProfile::kFashion);
  options.num_items = 10;
  absl::Status status = ValidateSampleShopOptions(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("--items"), absl::string_view::npos) << status;
  options = ProfileDefaults(ShopProfile::kWholesale);
  options.num_items = 1;  // One item is a flat catalog too.
  EXPECT_TRUE(ValidateSampleShopOptions(options).ok());
  options.unlabeled_share = 1.5;
  status = ValidateSampleShopOptions(options);
  EXPECT_NE(status.message().find("--unlabeled_share"), absl::string_view::npos);
  options = SampleShopOptions();
  options.num_days = 10;
  EXPECT_NE(ValidateSampleShopOptions(options).message().find("--days"),
            absl::string_view::npos);
  EXPECT_EQ(StreamSampleShop(options, JoinPath(std::getenv("TEST_TMPDIR"), "x"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// The other profiles are written as generated, too.
TEST(SampleShopTest, StreamedWholesaleShopLoads) {
  SampleShopOptions options = ProfileDefaults(ShopProfile::kWholesale);
  options.num_customers = 50;
  options.num_items = 100;
  const std::string dir = JoinPath(std::getenv("TEST_TMPDIR"), "stream-wholesale");
  absl::StatusOr<SampleShopStats> stats = StreamSampleShop(options, dir);
  ASSERT_TRUE(stats.ok()) << stats.status();
  absl::StatusOr<ShopData> loaded = LoadShopData(dir, LoadOptions());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(stats->events, static_cast<int64_t>(loaded->events.size()));
  EXPECT_EQ(stats->events, static_cast<int64_t>(
                               GenerateSampleShop(options).data.events.size()));
  EXPECT_GT(stats->events_bytes, 30 * stats->events);
}

}  // namespace
}  // namespace recommender
