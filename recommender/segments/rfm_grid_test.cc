#include "recommender/segments/rfm_grid.h"

#include <cmath>
#include <memory>

#include "gtest/gtest.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::segments {
namespace {

std::unique_ptr<SegmentSelector> Selector(int64_t customers) {
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(kTestingShopEnd);
  auto facts = CustomerFacts::Build(MakeTestingShop(customers), options);
  EXPECT_TRUE(facts.ok());
  return std::make_unique<SegmentSelector>(
      std::shared_ptr<const CustomerFacts>(*std::move(facts)));
}

TEST(RfmGridTest, CellsAndSegmentsAddUp) {
  auto selector = Selector(2000);
  const RfmGrid grid = SummarizeRfmGrid(*selector);
  EXPECT_EQ(grid.customers, 2000);
  EXPECT_EQ(grid.scored, selector->rfm().scored);
  int64_t cell_customers = 0;
  double cell_share = 0, cell_revenue = 0;
  for (const auto& row : grid.cells) {
    for (const RfmCellFigures& cell : row) {
      cell_customers += cell.customers;
      cell_share += cell.revenue_share;
      cell_revenue += cell.revenue;
    }
  }
  EXPECT_EQ(cell_customers, grid.scored);
  EXPECT_NEAR(cell_share, 1, 1e-9);
  EXPECT_NEAR(cell_revenue, grid.revenue, 1e-6 * grid.revenue);
  int64_t segment_customers = 0;
  for (const RfmCellFigures& s : grid.segments) segment_customers += s.customers;
  EXPECT_EQ(segment_customers, grid.customers);
  EXPECT_EQ(grid.segments[0].customers, grid.customers - grid.scored);
  EXPECT_EQ(grid.segments[0].revenue, 0);
  EXPECT_TRUE(std::isnan(grid.segments[0].mean_lifetime_value));
  // Champions cells against a direct count.
  const RfmCellFigures& champions =
      grid.segments[static_cast<int>(RfmSegment::kChampions)];
  EXPECT_EQ(champions.customers,
            grid.cells[4][3].customers + grid.cells[4][4].customers);
  int64_t direct = 0;
  double ltv = 0;
  for (int32_t c = 0; c < selector->facts().size(); ++c) {
    if (selector->rfm().segment[c] == RfmSegment::kChampions) {
      ++direct;
      ltv += selector->facts().lifetime_value()[c];
    }
  }
  EXPECT_EQ(champions.customers, direct);
  EXPECT_NEAR(champions.mean_lifetime_value, ltv / direct, 1e-3);
  // Champions are worth more than the hibernating.
  EXPECT_GT(champions.mean_lifetime_value,
            grid.segments[static_cast<int>(RfmSegment::kHibernating)]
                .mean_lifetime_value);
  EXPECT_GT(champions.mean_monetary_score, 3);
}

TEST(RfmGridTest, ASegmentsGridKeepsTheShopsScores) {
  auto selector = Selector(1000);
  auto rows = selector->Select(*ParseSegmentExpression("at_risk", "s"));
  ASSERT_TRUE(rows.ok());
  const RfmGrid grid = SummarizeRfmGrid(*selector, &*rows);
  EXPECT_EQ(grid.customers, static_cast<int64_t>(rows->size()));
  EXPECT_EQ(grid.segments[static_cast<int>(RfmSegment::kAtRisk)].customers,
            grid.customers);
  EXPECT_NEAR(grid.segments[static_cast<int>(RfmSegment::kAtRisk)].revenue_share,
              1, 1e-9);
  EXPECT_EQ(grid.cells[4][4].customers, 0);
}

TEST(RfmGridTest, FormatShowsTheGridAndEverySegment) {
  auto selector = Selector(500);
  const RfmGrid grid = SummarizeRfmGrid(*selector);
  const std::string text = FormatRfmGrid(grid);
  EXPECT_NE(text.find("500 customers"), std::string::npos) << text;
  EXPECT_NE(text.find("R=5"), std::string::npos);
  EXPECT_NE(text.find("F=5"), std::string::npos);
  for (int k = 0; k < kNumRfmSegments; ++k) {
    EXPECT_NE(text.find(std::string(RfmSegmentName(static_cast<RfmSegment>(k)))),
              std::string::npos);
  }
  EXPECT_NE(text.find("R 1-2, F 3-4"), std::string::npos);
}

}  // namespace
}  // namespace recommender::segments
