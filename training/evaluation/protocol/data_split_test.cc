#include "training/evaluation/protocol/data_split.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "gtest/gtest.h"
#include "training/evaluation/protocol/testing_shop.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

Event At(int32_t customer, int32_t item, EventType type, int64_t day) {
  return TestEvent(customer, item, type, kT0 + day * kDay);
}

// Customer 0: active before and after day 10. Customer 1: only after.
// Customer 2: only before. Customer 3: views after day 10, no purchase.
ShopData SmallShop() {
  return TestShop(6, 4, {
      At(0, 0, EventType::kPurchase, 1), At(0, 1, EventType::kView, 5),
      At(0, 1, EventType::kPurchase, 11), At(0, 2, EventType::kView, 12),
      At(0, 0, EventType::kPurchase, 20), At(0, 3, EventType::kPurchase, 40),
      At(1, 4, EventType::kPurchase, 12),
      At(2, 5, EventType::kPurchase, 3),
      At(3, 2, EventType::kPurchase, 2), At(3, 2, EventType::kView, 15),
  });
}

using EventKey = std::tuple<int32_t, int32_t, EventType, int64_t>;

std::multiset<EventKey> Keys(const std::vector<Event>& events) {
  std::multiset<EventKey> keys;
  for (const Event& e : events) {
    keys.insert({e.customer, e.item, e.type, e.unix_seconds});
  }
  return keys;
}

TEST(SplitAtTimeTest, NoTestInteractionInTraining) {
  const ShopData data = SmallShop();
  const absl::Time cutoff = absl::FromUnixSeconds(kT0 + 10 * kDay);
  const DataSplit split = SplitAtTime(data, cutoff);
  for (const Event& e : split.train.events) {
    EXPECT_LT(e.unix_seconds, kT0 + 10 * kDay);
  }
  EXPECT_EQ(split.train.events.size() + split.held_out_events, data.events.size());
  EXPECT_EQ(split.train.items.size(), data.items.size());
  EXPECT_EQ(split.train.customers.size(), data.customers.size());
  // Customer 0 only: 1 has no training events, 2 no test purchase, 3 only
  // a held-out view.
  ASSERT_EQ(split.test.size(), 1u);
  EXPECT_EQ(split.test[0].customer, 0);
  EXPECT_EQ(split.test[0].as_of, cutoff);
  EXPECT_EQ(split.test[0].purchased, (std::vector<int32_t>{0, 1, 3}));
}

TEST(SplitAtTimeTest, TestEndLimitsTheTestWindow) {
  const ShopData data = SmallShop();
  const absl::Time cutoff = absl::FromUnixSeconds(kT0 + 10 * kDay);
  const DataSplit split = SplitAtTime(data, cutoff, cutoff + absl::Hours(24 * 15));
  ASSERT_EQ(split.test.size(), 1u);
  EXPECT_EQ(split.test[0].purchased, (std::vector<int32_t>{0, 1}));
}

TEST(SplitLastDaysTest, HoldsOutEachCustomersOwnLastDays) {
  const ShopData data = SmallShop();
  const DataSplit split = SplitLastDays(data, 10);
  // Customer 0's newest event is day 40: days >= 30 held out (day 40 only).
  ASSERT_EQ(split.test.size(), 1u);
  EXPECT_EQ(split.test[0].customer, 0);
  EXPECT_EQ(split.test[0].purchased, (std::vector<int32_t>{3}));
  EXPECT_EQ(split.test[0].as_of, absl::FromUnixSeconds(kT0 + 30 * kDay));
  for (const Event& e : split.train.events) {
    if (e.customer == 0) {
      EXPECT_LT(e.unix_seconds, kT0 + 30 * kDay);
    }
  }
  // A customer whose whole history is within N days trains nothing.
  const auto trained = Keys(split.train.events);
  EXPECT_EQ(std::count_if(trained.begin(), trained.end(),
                          [](const EventKey& k) { return std::get<0>(k) == 1; }),
            0);
}

ShopData ManyEvents() {
  ShopData data = TestShop(50, 7, {});
  for (int c = 0; c < 7; ++c) {
    for (int i = 0; i < 4 + 3 * c; ++i) {
      data.events.push_back(At(c, (i * 7 + c) % 50, EventType::kPurchase, i));
    }
  }
  return data;
}

// Each customer trains on round(share x their events).
void ExpectEachCustomerTrainsOnTheirShare(const ShopData& data,
                                          const DataSplit& split,
                                          double share) {
  std::map<int32_t, int> train_count, total;
  for (const Event& e : data.events) ++total[e.customer];
  for (const Event& e : split.train.events) ++train_count[e.customer];
  for (const auto& [customer, n] : total) {
    EXPECT_EQ(train_count[customer], std::lround(share * n)) << customer;
  }
}

TEST(SplitRandomTest, PerCustomerShareAndNoLeakage) {
  const ShopData data = ManyEvents();
  const DataSplit split = SplitRandom(data, 0.75, 1);
  ExpectEachCustomerTrainsOnTheirShare(data, split, 0.75);
  // Training and held-out events partition the input: every held-out
  // purchase is absent from training (each (customer, item) occurs once).
  std::multiset<EventKey> all = Keys(data.events);
  for (const EventKey& key : Keys(split.train.events)) all.erase(all.find(key));
  EXPECT_EQ(static_cast<int64_t>(all.size()), split.held_out_events);
  for (const TestCustomer& t : split.test) {
    for (int32_t item : t.purchased) {
      bool in_train = false;
      for (const Event& e : split.train.events) {
        in_train |= e.customer == t.customer && e.item == item;
      }
      EXPECT_FALSE(in_train) << t.customer << " " << item;
    }
  }
  EXPECT_EQ(split.test.size(), 7u);
}

TEST(SplitRandomTest, SameSeedSameSplitOtherSeedOtherSplit) {
  const ShopData data = ManyEvents();
  EXPECT_EQ(Keys(SplitRandom(data, 0.75, 1).train.events),
            Keys(SplitRandom(data, 0.75, 1).train.events));
  EXPECT_NE(Keys(SplitRandom(data, 0.75, 1).train.events),
            Keys(SplitRandom(data, 0.75, 2).train.events));
}

TEST(SplitRandomTest, TrainingEventsStaySortedByCustomerThenTime) {
  const DataSplit split = SplitRandom(ManyEvents(), 0.75, 3);
  EXPECT_TRUE(std::is_sorted(split.train.events.begin(), split.train.events.end(),
                             [](const Event& a, const Event& b) {
                               return std::tie(a.customer, a.unix_seconds) <
                                      std::tie(b.customer, b.unix_seconds);
                             }));
}

// The same events in time order, customers interleaved (as a generated
// shop or an unsorted export holds them).
ShopData InTimeOrder(ShopData data) {
  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const Event& a, const Event& b) {
                     return a.unix_seconds < b.unix_seconds;
                   });
  return data;
}

TEST(SplitRandomTest, EventsInTimeOrderSplitPerCustomerAsGroupedOnesDo) {
  const ShopData data = InTimeOrder(ManyEvents());
  const DataSplit split = SplitRandom(data, 0.75, 1);
  ExpectEachCustomerTrainsOnTheirShare(data, split, 0.75);
  EXPECT_EQ(split.test.size(), 7u);
}

TEST(SplitLastDaysTest, EventsInTimeOrderSplitAsGroupedOnesDo) {
  // Newest first, customers interleaved: the window still ends at each
  // customer's newest event.
  ShopData data = InTimeOrder(SmallShop());
  std::reverse(data.events.begin(), data.events.end());
  const DataSplit split = SplitLastDays(data, 10);
  ASSERT_EQ(split.test.size(), 1u);
  EXPECT_EQ(split.test[0].purchased, (std::vector<int32_t>{3}));
  EXPECT_EQ(split.test[0].as_of, absl::FromUnixSeconds(kT0 + 30 * kDay));
  EXPECT_EQ(Keys(split.train.events),
            Keys(SplitLastDays(SmallShop(), 10).train.events));
}

TEST(ParseSplitSpecTest, AcceptsTheThreeForms) {
  absl::StatusOr<SplitSpec> time = ParseSplitSpec("time:2026-09-01");
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(time->kind, SplitKind::kTime);
  EXPECT_EQ(time->cutoff_day, absl::CivilDay(2026, 9, 1));
  absl::StatusOr<SplitSpec> days = ParseSplitSpec("last-days:30");
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(days->kind, SplitKind::kLastDays);
  EXPECT_EQ(days->days, 30);
  absl::StatusOr<SplitSpec> random = ParseSplitSpec("random-80-20");
  ASSERT_TRUE(random.ok());
  EXPECT_EQ(random->kind, SplitKind::kRandom);
  EXPECT_DOUBLE_EQ(random->train_share, 0.8);
}

TEST(ParseSplitSpecTest, RejectsOthersNamingTheForms) {
  for (const char* bad : {"", "time:2026-13-01", "last-days:0", "random-75-30",
                          "random-75", "holdout"}) {
    absl::StatusOr<SplitSpec> spec = ParseSplitSpec(bad);
    ASSERT_FALSE(spec.ok()) << bad;
    EXPECT_NE(spec.status().message().find("random-75-25"), std::string::npos);
  }
}

TEST(ApplySplitTest, TimeCutoffIsMidnightInTheShopsZone) {
  ShopData data = SmallShop();
  SplitSpec spec;
  spec.kind = SplitKind::kTime;
  spec.cutoff_day = absl::CivilDay(2023, 11, 25);
  const DataSplit split = ApplySplit(data, spec, 1, 9 * 3600, 0);
  ASSERT_FALSE(split.test.empty());
  EXPECT_EQ(split.test[0].as_of,
            absl::FromCivil(absl::CivilSecond(2023, 11, 24, 15, 0, 0),
                            absl::UTCTimeZone()));
}

}  // namespace
}  // namespace recommender
