#include "recommender/segments/rfm_scores.h"

#include <cmath>

#include "recommender/segments/quantile_scores.h"

namespace recommender::segments {
namespace {

struct NamedSegment {
  RfmSegment segment;
  absl::string_view name;
  absl::string_view rule;
};

constexpr NamedSegment kSegments[] = {
    {RfmSegment::kNone, "none", "no order up to the date"},
    {RfmSegment::kChampions, "champions", "R 5, F 4-5"},
    {RfmSegment::kLoyal, "loyal", "R 3-4, F 4-5"},
    {RfmSegment::kPotentialLoyalists, "potential_loyalists", "R 4-5, F 2-3"},
    {RfmSegment::kNew, "new", "R 5, F 1"},
    {RfmSegment::kPromising, "promising", "R 4, F 1"},
    {RfmSegment::kNeedAttention, "need_attention", "R 3, F 3"},
    {RfmSegment::kAboutToSleep, "about_to_sleep", "R 3, F 1-2"},
    {RfmSegment::kAtRisk, "at_risk", "R 1-2, F 3-4"},
    {RfmSegment::kCantLose, "cant_lose", "R 1-2, F 5"},
    {RfmSegment::kHibernating, "hibernating", "R 1-2, F 1-2"},
};

}  // namespace

absl::string_view RfmSegmentName(RfmSegment segment) {
  return kSegments[static_cast<int>(segment)].name;
}

absl::string_view RfmSegmentRule(RfmSegment segment) {
  return kSegments[static_cast<int>(segment)].rule;
}

std::optional<RfmSegment> ParseRfmSegment(absl::string_view name) {
  for (int k = 1; k < kNumRfmSegments; ++k) {
    if (kSegments[k].name == name) return kSegments[k].segment;
  }
  return std::nullopt;
}

RfmSegment RfmSegmentOf(int r, int f) {
  if (r < 1 || r > 5 || f < 1 || f > 5) return RfmSegment::kNone;
  if (r <= 2) {
    if (f <= 2) return RfmSegment::kHibernating;
    return f == 5 ? RfmSegment::kCantLose : RfmSegment::kAtRisk;
  }
  if (f >= 4) return r == 5 ? RfmSegment::kChampions : RfmSegment::kLoyal;
  if (r == 3) {
    return f == 3 ? RfmSegment::kNeedAttention : RfmSegment::kAboutToSleep;
  }
  if (f >= 2) return RfmSegment::kPotentialLoyalists;
  return r == 5 ? RfmSegment::kNew : RfmSegment::kPromising;
}

RfmScores ScoreRfm(const CustomerFacts& facts) {
  const size_t n = static_cast<size_t>(facts.size());
  std::vector<double> recency(n, NAN), frequency(n, NAN), monetary(n, NAN);
  RfmScores scores;
  for (size_t c = 0; c < n; ++c) {
    if (facts.orders()[c] == 0) continue;
    // Fewer days since the last order is better: rank the negation.
    recency[c] = -static_cast<double>(facts.as_of_day() -
                                      facts.last_purchase_day()[c]);
    frequency[c] = facts.orders()[c];
    monetary[c] = facts.revenue()[c];
    ++scores.scored;
  }
  scores.r = QuantileScores(recency, 5);
  scores.f = QuantileScores(frequency, 5);
  scores.m = QuantileScores(monetary, 5);
  scores.segment.resize(n);
  for (size_t c = 0; c < n; ++c) {
    scores.segment[c] = RfmSegmentOf(scores.r[c], scores.f[c]);
  }
  return scores;
}

}  // namespace recommender::segments
