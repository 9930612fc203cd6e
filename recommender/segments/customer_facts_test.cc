#include "recommender/segments/customer_facts.h"

#include <cmath>
#include <memory>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::segments {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;

std::shared_ptr<const ModelSnapshot> Shop() {
  SnapshotContents contents =
      TestSnapshotBuilder(2)
          .AddItem("coffee", "food/coffee", {1, 0}, snapshot::CONSUMABLE, 800)
          .AddItem("kettle", "kitchen", {0, 1}, snapshot::DURABLE, 5000)
          // Two purchases on day 0 (one order), one on day 10, one after
          // the date the tests look from.
          .AddCustomer("alice", {},
                       {{"coffee", kStart},
                        {"kettle", kStart + 3600},
                        {"coffee", kStart + 10 * kDay},
                        {"coffee", kStart + 40 * kDay}})
          .WithAttributes("30-39", "f", "tokyo")
          .AddCustomer("bob", {}, {{"kettle", kStart + 5 * kDay}})
          .WithAttributes("40-49", "m", "osaka")
          .AddCustomer("carol", {})
          .Build();
  // Carol paid a different price for 3 units, recorded per purchase.
  return std::shared_ptr<const ModelSnapshot>(
      *ModelSnapshot::FromContents(std::move(contents)));
}

CustomerFactsOptions At(int64_t unix_seconds) {
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(unix_seconds);
  return options;
}

TEST(CustomerFactsTest, OrdersRevenueAndRecencyUpToTheDate) {
  auto facts = CustomerFacts::Build(Shop(), At(kStart + 20 * kDay));
  ASSERT_TRUE(facts.ok()) << facts.status();
  const CustomerFacts& f = **facts;
  ASSERT_EQ(f.size(), 3);
  EXPECT_EQ(f.id(0), "alice");
  EXPECT_EQ(f.snapshot_row(2), 2);
  // alice: two orders (days 0 and 10), 800 + 5000 + 800.
  EXPECT_EQ(f.orders()[0], 2);
  EXPECT_DOUBLE_EQ(f.revenue()[0], 6600);
  EXPECT_EQ(f.as_of_day() - f.last_purchase_day()[0], 10);
  EXPECT_EQ(f.last_purchase()[0], kStart + 10 * kDay);
  // The snapshot's newest event (day 40) is after the date: the newest
  // purchase before it stands in.
  EXPECT_EQ(f.last_event()[0], kStart + 10 * kDay);
  EXPECT_EQ(f.orders()[1], 1);
  EXPECT_DOUBLE_EQ(f.revenue()[1], 5000);
  EXPECT_EQ(f.orders()[2], 0);
  EXPECT_EQ(f.last_purchase_day()[2], CustomerFacts::kNever);
  EXPECT_EQ(f.last_purchase()[2], 0);
  // No customer-lifetime model in this snapshot.
  EXPECT_FALSE(f.has_lifetime_value());
  EXPECT_TRUE(std::isnan(f.lifetime_value()[0]));

  auto later = CustomerFacts::Build(Shop(), At(kStart + 50 * kDay));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)->orders()[0], 3);
  EXPECT_DOUBLE_EQ((*later)->revenue()[0], 7400);
}

TEST(CustomerFactsTest, AttributesAreCoded) {
  auto facts = CustomerFacts::Build(Shop(), At(kStart + 20 * kDay));
  ASSERT_TRUE(facts.ok());
  const CustomerFacts& f = **facts;
  const auto& regions = f.attribute_values(Attribute::kRegion);
  EXPECT_EQ(regions[f.attribute_codes(Attribute::kRegion)[0]], "tokyo");
  EXPECT_EQ(regions[f.attribute_codes(Attribute::kRegion)[1]], "osaka");
  EXPECT_EQ(f.attribute_codes(Attribute::kRegion)[2], 0u);
  EXPECT_EQ(regions[0], "");
  EXPECT_EQ(f.attribute_values(Attribute::kGender)
                [f.attribute_codes(Attribute::kGender)[1]],
            "m");
  EXPECT_EQ(AttributeName(Attribute::kAgeBand), "age_band");
}

TEST(CustomerFactsTest, LaterActivityAddsToKnownCustomersAndNewOnes) {
  std::vector<LaterActivity> later = {
      // Bob buys again on day 12 and views on day 15.
      {"bob", kStart + 12 * kDay, true, 1200, "", "", ""},
      {"bob", kStart + 15 * kDay, false, 0, "", "", ""},
      // Two new customers, listed after the snapshot's by id.
      {"zed", kStart + 14 * kDay, true, 300, "20-29", "", "nagoya"},
      {"dan", kStart + 16 * kDay, false, 0, "", "", ""},
      // After the date: not seen.
      {"eve", kStart + 30 * kDay, true, 100, "", "", ""},
  };
  auto facts = CustomerFacts::Build(Shop(), At(kStart + 20 * kDay), later);
  ASSERT_TRUE(facts.ok()) << facts.status();
  const CustomerFacts& f = **facts;
  ASSERT_EQ(f.size(), 5);
  EXPECT_EQ(f.id(3), "dan");
  EXPECT_EQ(f.id(4), "zed");
  EXPECT_EQ(f.snapshot_row(3), -1);
  EXPECT_EQ(f.orders()[1], 2);
  EXPECT_DOUBLE_EQ(f.revenue()[1], 6200);
  EXPECT_EQ(f.last_event()[1], kStart + 15 * kDay);
  EXPECT_EQ(f.last_purchase()[1], kStart + 12 * kDay);
  EXPECT_EQ(f.orders()[3], 0);
  EXPECT_EQ(f.last_event()[3], kStart + 16 * kDay);
  EXPECT_EQ(f.orders()[4], 1);
  EXPECT_EQ(f.attribute_values(Attribute::kRegion)
                [f.attribute_codes(Attribute::kRegion)[4]],
            "nagoya");
}

TEST(CustomerFactsTest, BadInputIsNamed) {
  CustomerFactsOptions options = At(kStart);
  options.lifetime_horizon_days = 0;
  auto bad = CustomerFacts::Build(Shop(), options);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("lifetime_horizon_days"),
            std::string::npos);
  std::vector<LaterActivity> later = {{"", kStart, true, 1, "", "", ""}};
  auto empty_id = CustomerFacts::Build(Shop(), At(kStart), later);
  EXPECT_NE(empty_id.status().message().find("later[0].customer_id"),
            std::string::npos);
}

TEST(CustomerFactsTest, LifetimeValueWhereTheModelHasOne) {
  auto facts = CustomerFacts::Build(MakeTestingShop(300),
                                    At(kTestingShopEnd));
  ASSERT_TRUE(facts.ok()) << facts.status();
  const CustomerFacts& f = **facts;
  ASSERT_TRUE(f.has_lifetime_value());
  int known = 0;
  for (int32_t c = 0; c < f.size(); ++c) {
    if (f.orders()[c] == 0) {
      EXPECT_TRUE(std::isnan(f.lifetime_value()[c]));
    } else {
      EXPECT_GE(f.lifetime_value()[c], 0) << c;
      ++known;
    }
  }
  EXPECT_GT(known, 200);
}

}  // namespace
}  // namespace recommender::segments
