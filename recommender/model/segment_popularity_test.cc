#include "recommender/model/segment_popularity.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

void AddCustomer(snapshot::CustomerTable* table, const std::string& age,
                 const std::string& gender, const std::string& region,
                 std::vector<std::pair<int32_t, int64_t>> purchases) {
  snapshot::Customer* customer = table->add_customers();
  customer->set_id(absl::StrCat("C", table->customers_size()));
  customer->set_age_band(age);
  customer->set_gender(gender);
  customer->set_region(region);
  customer->set_factor_row(-1);
  for (const auto& [item, time] : purchases) {
    customer->add_purchased_items(item);
    customer->add_purchase_times(time);
  }
}

TEST(SegmentPopularityTest, MostSpecificSegmentWinsAndSmallOnesBackOff) {
  snapshot::CustomerTable table;
  // Women in their 30s in Tokyo buy item 1; in Osaka item 2; men item 3.
  for (int i = 0; i < 3; ++i) AddCustomer(&table, "30-39", "f", "Tokyo", {{1, 100}});
  for (int i = 0; i < 2; ++i) AddCustomer(&table, "30-39", "f", "Osaka", {{2, 100}, {2, 101}});
  for (int i = 0; i < 4; ++i) AddCustomer(&table, "30-39", "m", "Tokyo", {{3, 100}});
  // Old purchases and customers without attributes do not count.
  AddCustomer(&table, "30-39", "f", "Tokyo", {{9, 10}});
  AddCustomer(&table, "", "", "", {{9, 100}});

  const SegmentPopularity segments =
      SegmentPopularity::Build(table, /*since=*/50, /*min_buyers=*/3);

  const SegmentPopularity::Segment* tokyo = segments.Find({"30-39", "f", "Tokyo"});
  ASSERT_NE(tokyo, nullptr);
  EXPECT_EQ(tokyo->key.region, "Tokyo");
  EXPECT_EQ(tokyo->buyers, 3);
  EXPECT_EQ(tokyo->items, std::vector<int32_t>({1}));

  // Osaka has only 2 buyers: back off to age band and gender (5 buyers).
  const SegmentPopularity::Segment* osaka = segments.Find({"30-39", "f", "Osaka"});
  ASSERT_NE(osaka, nullptr);
  EXPECT_TRUE(osaka->key.region.empty());
  EXPECT_EQ(osaka->key.gender, "f");
  EXPECT_EQ(osaka->items, std::vector<int32_t>({2, 1}));
  EXPECT_EQ(osaka->purchases, std::vector<int32_t>({4, 3}));
  EXPECT_EQ(DescribeSegment(osaka->key), "30-39, f");

  // Gender alone.
  const SegmentPopularity::Segment* men = segments.Find({"", "m", ""});
  ASSERT_NE(men, nullptr);
  EXPECT_EQ(men->items, std::vector<int32_t>({3}));

  EXPECT_EQ(segments.Find({}), nullptr);
  EXPECT_EQ(segments.Find({"70-79", "", ""}), nullptr);
}

}  // namespace
}  // namespace recommender
