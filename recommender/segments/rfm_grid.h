// The RFM grid: the table a marketer reads before choosing whom to mail.
// For each cell of recency score x frequency score, and for each named RFM
// segment (rfm_scores.h): how many customers, their share of the revenue,
// their mean monetary score and their mean lifetime value.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_SEGMENTS_RFM_GRID_H_
#define RECOMMENDER_SEGMENTS_RFM_GRID_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "recommender/segments/rfm_scores.h"
#include "recommender/segments/segment_selector.h"

namespace recommender::segments {

struct RfmCellFigures {
  int64_t customers = 0;
  // Revenue up to the date, shop currency, and its share of the revenue
  // of all customers summarized (0 if that is 0).
  double revenue = 0;
  double revenue_share = 0;
  // Mean of the customers' M scores; 0 for an empty cell.
  double mean_monetary_score = 0;
  // Mean lifetime value over the customers whose value is known; NaN if
  // none is (no customer-lifetime model).
  double mean_lifetime_value = 0;
};

struct RfmGrid {
  // cells[r - 1][f - 1].
  std::array<std::array<RfmCellFigures, 5>, 5> cells;
  // Indexed by RfmSegment; [0] (kNone) holds the customers without an
  // order, whose revenue is 0.
  std::array<RfmCellFigures, kNumRfmSegments> segments;
  // Customers summarized, and how many of them have RFM scores.
  int64_t customers = 0;
  int64_t scored = 0;
  double revenue = 0;
  bool has_lifetime_value = false;
};

// Summarizes `rows` (indices into the selector's facts, e.g. a segment's
// selection), or every customer if `rows` is null. Scores stay those of
// the whole shop: a segment's grid shows where its customers sit among all
// of them. O(rows).
RfmGrid SummarizeRfmGrid(const SegmentSelector& selector,
                         const std::vector<int32_t>* rows = nullptr);

// A plain-text rendering: the 5 x 5 grid of customer counts (R rows, 5 at
// the top; F columns), then one line per named segment with its rule,
// customers, revenue share, mean M score and mean lifetime value.
std::string FormatRfmGrid(const RfmGrid& grid);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_RFM_GRID_H_
