#include "recommender/segments/rfm_grid.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender::segments {
namespace {

// Running sums of one cell.
struct Sums {
  double m_scores = 0;
  double ltv = 0;
  int64_t ltv_known = 0;
};

void Add(const CustomerFacts& facts, const RfmScores& rfm, int32_t c,
         RfmCellFigures* figures, Sums* sums) {
  ++figures->customers;
  figures->revenue += facts.revenue()[c];
  sums->m_scores += rfm.m[c];
  const float ltv = facts.lifetime_value()[c];
  if (!std::isnan(ltv)) {
    sums->ltv += ltv;
    ++sums->ltv_known;
  }
}

void Finish(double total_revenue, const Sums& sums, RfmCellFigures* figures) {
  figures->revenue_share =
      total_revenue > 0 ? figures->revenue / total_revenue : 0;
  figures->mean_monetary_score =
      figures->customers > 0 ? sums.m_scores / figures->customers : 0;
  figures->mean_lifetime_value =
      sums.ltv_known > 0 ? sums.ltv / static_cast<double>(sums.ltv_known) : NAN;
}

std::string Money(double value) {
  if (std::isnan(value)) return "-";
  return absl::StrFormat("%.0f", value);
}

}  // namespace

RfmGrid SummarizeRfmGrid(const SegmentSelector& selector,
                         const std::vector<int32_t>* rows) {
  const CustomerFacts& facts = selector.facts();
  const RfmScores& rfm = selector.rfm();
  RfmGrid grid;
  grid.has_lifetime_value = facts.has_lifetime_value();
  std::array<std::array<Sums, 5>, 5> cell_sums{};
  std::array<Sums, kNumRfmSegments> segment_sums{};
  auto visit = [&](int32_t c) {
    ++grid.customers;
    grid.revenue += facts.revenue()[c];
    const int segment = static_cast<int>(rfm.segment[c]);
    Add(facts, rfm, c, &grid.segments[segment], &segment_sums[segment]);
    if (rfm.r[c] == 0) return;
    ++grid.scored;
    Add(facts, rfm, c, &grid.cells[rfm.r[c] - 1][rfm.f[c] - 1],
        &cell_sums[rfm.r[c] - 1][rfm.f[c] - 1]);
  };
  if (rows == nullptr) {
    for (int32_t c = 0; c < facts.size(); ++c) visit(c);
  } else {
    for (int32_t c : *rows) visit(c);
  }
  for (int r = 0; r < 5; ++r) {
    for (int f = 0; f < 5; ++f) {
      Finish(grid.revenue, cell_sums[r][f], &grid.cells[r][f]);
    }
  }
  for (int s = 0; s < kNumRfmSegments; ++s) {
    Finish(grid.revenue, segment_sums[s], &grid.segments[s]);
  }
  return grid;
}

std::string FormatRfmGrid(const RfmGrid& grid) {
  std::string out = absl::StrFormat(
      "%d customers, %d with orders (RFM-scored); revenue %s\n\n"
      "customers by recency (R, rows) and frequency (F, columns) score\n"
      "      F=1      F=2      F=3      F=4      F=5\n",
      grid.customers, grid.scored, Money(grid.revenue));
  for (int r = 5; r >= 1; --r) {
    absl::StrAppend(&out, "R=", r);
    for (int f = 1; f <= 5; ++f) {
      absl::StrAppend(&out,
                      absl::StrFormat(" %8d", grid.cells[r - 1][f - 1].customers));
    }
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "\n",
                  absl::StrFormat("%-20s %-13s %9s %8s %6s %9s\n", "segment",
                                  "rule", "customers", "revenue", "mean M",
                                  "mean LTV"));
  for (int s = 1; s <= kNumRfmSegments; ++s) {
    const int k = s % kNumRfmSegments;  // "none" last.
    const RfmCellFigures& figures = grid.segments[k];
    const RfmSegment segment = static_cast<RfmSegment>(k);
    absl::StrAppend(
        &out,
        absl::StrFormat("%-20s %-13s %9d %7.1f%% %6.2f %9s\n",
                        RfmSegmentName(segment),
                        k == 0 ? "no order" : RfmSegmentRule(segment),
                        figures.customers, 100 * figures.revenue_share,
                        figures.mean_monetary_score,
                        Money(figures.mean_lifetime_value)));
  }
  return out;
}

}  // namespace recommender::segments
