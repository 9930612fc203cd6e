#include "recommender/segments/segment_selector.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::segments {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z.
constexpr int64_t kDay = 86400;
constexpr int64_t kAsOf = kStart + 100 * kDay;

// Coffee is re-bought every 30 days. Ten customers whose last purchase is
// 10 * (i + 1) days before the date, i + 1 orders each 3 days apart (every
// third customer's last one coffee, the others kettles), in regions
// tokyo / osaka alternately; one customer without purchases. The date is
// 2026-04-11.
std::shared_ptr<const SegmentSelector> Selector() {
  TestSnapshotBuilder builder(2);
  builder.AddItem("coffee", "food/coffee", {1, 0}, snapshot::CONSUMABLE, 1000)
      .AddItem("kettle", "kitchen", {0, 1}, snapshot::DURABLE, 5000)
      .SetRepurchaseCycle("coffee", 30);
  for (int i = 0; i < 10; ++i) {
    std::vector<std::pair<std::string, int64_t>> purchases;
    const int64_t last = kAsOf - 10 * (i + 1) * kDay;
    for (int o = i; o >= 0; --o) {
      purchases.emplace_back(o == 0 && i % 3 == 0 ? "coffee" : "kettle",
                             last - o * 3 * kDay);
    }
    builder.AddCustomer("c" + std::to_string(i), {}, purchases)
        .WithAttributes(i < 5 ? "30-39" : "40-49", i % 2 ? "m" : "f",
                        i % 2 ? "osaka" : "tokyo");
  }
  builder.AddCustomer("newbie", {}).WithAttributes("20-29", "f", "tokyo");
  auto snapshot = ModelSnapshot::FromContents(builder.Build());
  EXPECT_TRUE(snapshot.ok());
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(kAsOf);
  auto facts = CustomerFacts::Build(
      std::shared_ptr<const ModelSnapshot>(*std::move(snapshot)), options);
  EXPECT_TRUE(facts.ok());
  return std::make_shared<const SegmentSelector>(
      std::shared_ptr<const CustomerFacts>(*std::move(facts)));
}

std::vector<std::string> Select(const SegmentSelector& selector,
                                const std::string& text) {
  absl::StatusOr<SegmentExpression> e = ParseSegmentExpression(text, "s");
  EXPECT_TRUE(e.ok()) << e.status();
  absl::StatusOr<std::vector<int32_t>> rows = selector.Select(*e);
  EXPECT_TRUE(rows.ok()) << text << ": " << rows.status();
  std::vector<std::string> ids;
  if (!rows.ok()) return ids;
  for (int32_t c : *rows) ids.emplace_back(selector.facts().id(c));
  return ids;
}

using Ids = std::vector<std::string>;

TEST(SegmentSelectorTest, ScoresAndNamedSegments) {
  auto selector = Selector();
  // Recency: c0 is the most recent (R 5), c9 the least (R 1); frequency
  // runs the other way (c9 has 10 orders).
  EXPECT_EQ(Select(*selector, "r = 5"), (Ids{"c0", "c1"}));
  EXPECT_EQ(Select(*selector, "f = 5"), (Ids{"c8", "c9"}));
  EXPECT_EQ(Select(*selector, "r <= 2 and f >= 4"), (Ids{"c6", "c7", "c8", "c9"}));
  EXPECT_EQ(Select(*selector, "cant_lose"), (Ids{"c8", "c9"}));
  EXPECT_EQ(Select(*selector, "at_risk"), (Ids{"c6", "c7"}));
  EXPECT_EQ(Select(*selector, "new"), (Ids{"c0", "c1"}));
  EXPECT_EQ(Select(*selector, "rfm = new,cant_lose"),
            (Ids{"c0", "c1", "c8", "c9"}));
  // Unscored customers are in no RFM segment, also not in a negation.
  EXPECT_EQ(Select(*selector, "rfm != new,cant_lose,at_risk").size(), 4u);
  EXPECT_EQ(Select(*selector, "orders = 0"), (Ids{"newbie"}));
  EXPECT_EQ(Select(*selector, "all").size(), 11u);
}

TEST(SegmentSelectorTest, AttributesAndBehaviour) {
  auto selector = Selector();
  EXPECT_EQ(Select(*selector, "region = osaka and age_band = 30-39"),
            (Ids{"c1", "c3"}));
  EXPECT_EQ(Select(*selector, "region != tokyo and gender = m"),
            (Ids{"c1", "c3", "c5", "c7", "c9"}));
  EXPECT_EQ(Select(*selector, "region = kyoto"), Ids{});
  // Last purchase 10 * (i + 1) days ago: lapsed(60) is c5..c9.
  EXPECT_EQ(Select(*selector, "lapsed(60)"), (Ids{"c5", "c6", "c7", "c8", "c9"}));
  EXPECT_EQ(Select(*selector, "active(20)"), (Ids{"c0", "c1"}));
  EXPECT_EQ(Select(*selector, "lapsed(60) and region = tokyo and r = 1"),
            (Ids{"c8"}));
}

TEST(SegmentSelectorTest, DueConsumables) {
  auto selector = Selector();
  // Coffee buyers: c0 (10 days ago: due in 20 days, on May 1), c3 (40 days
  // ago: due 10 days ago), c6 (70 days ago: due 40 days ago), c9 (100 days
  // ago: lapsed, never counted as due).
  EXPECT_EQ(Select(*selector, "due(15..25)"), (Ids{"c0"}));
  EXPECT_EQ(Select(*selector, "due(-15..-5)"), (Ids{"c3"}));
  EXPECT_EQ(Select(*selector, "due(-15..25) and region = osaka"), (Ids{"c3"}));
  EXPECT_EQ(Select(*selector, "due(2026-04-25..2026-05-05)"), (Ids{"c0"}));
}

TEST(SegmentSelectorTest, MissingModelsAreNamed) {
  auto selector = Selector();
  absl::StatusOr<std::vector<int32_t>> rows = selector->Select(
      *ParseSegmentExpression("ltv_decile >= 9", "s"), "campaign.segment");
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(rows.status().message().substr(0, 28),
            "campaign.segment: ltv_decile");
}

TEST(SegmentSelectorTest, LifetimeDecilesOnAGeneratedShop) {
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(kTestingShopEnd);
  auto facts = CustomerFacts::Build(MakeTestingShop(3000), options);
  ASSERT_TRUE(facts.ok());
  SegmentSelector selector(std::shared_ptr<const CustomerFacts>(*std::move(facts)));
  absl::StatusOr<std::vector<int32_t>> top =
      selector.Select(*ParseSegmentExpression("ltv_decile = 10", "s"));
  absl::StatusOr<std::vector<int32_t>> bottom =
      selector.Select(*ParseSegmentExpression("ltv_decile <= 1", "s"));
  ASSERT_TRUE(top.ok() && bottom.ok());
  int64_t scored = 0;
  for (int32_t c = 0; c < selector.facts().size(); ++c) {
    scored += selector.facts().orders()[c] > 0;
  }
  EXPECT_NEAR(static_cast<double>(top->size()) / scored, 0.1, 0.02);
  float top_min = 1e30f, bottom_max = 0;
  for (int32_t c : *top) top_min = std::min(top_min, selector.facts().lifetime_value()[c]);
  for (int32_t c : *bottom) {
    bottom_max = std::max(bottom_max, selector.facts().lifetime_value()[c]);
  }
  EXPECT_GT(top_min, bottom_max);
  // The AND of two terms is the intersection of each alone.
  auto both = selector.Select(*ParseSegmentExpression("ltv_decile = 10 and region = osaka", "s"));
  auto osaka = selector.Select(*ParseSegmentExpression("region = osaka", "s"));
  std::vector<int32_t> expected;
  std::set_intersection(top->begin(), top->end(), osaka->begin(), osaka->end(),
                        std::back_inserter(expected));
  EXPECT_EQ(*both, expected);
  EXPECT_FALSE(expected.empty());
}

}  // namespace
}  // namespace recommender::segments
