// RFM scores and the named RFM segments marketers use.
//
// Scored customers are those with at least one order up to as_of (who never
// bought has no recency, frequency or spend to rank). Each gets three
// quintile scores (quantile_scores.h) over the scored customers:
//   R: recency, days from the last order to as_of; fewer days score higher;
//   F: frequency, the number of orders (distinct purchase days);
//   M: monetary, the revenue up to as_of.
// 5 is best on every axis. Ties share a score (the mid-rank rule), so with
// many one-order customers F may skip a score.
//
// The named segments partition the 5 x 5 grid of R and F (M is shown in
// the grid's figures but does not name a cell), after the widely used RFM
// segment map:
//
//   R \ F   1                2           3           4           5
//   5       new              potential   potential   champions   champions
//   4       promising        potential   potential   loyal       loyal
//   3       about_to_sleep   about_to_s. need_attn.  loyal       loyal
//   2       hibernating      hibernating at_risk     at_risk     cant_lose
//   1       hibernating      hibernating at_risk     at_risk     cant_lose
//
// (potential = potential_loyalists, need_attn. = need_attention).
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_SEGMENTS_RFM_SCORES_H_
#define RECOMMENDER_SEGMENTS_RFM_SCORES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "recommender/segments/customer_facts.h"

namespace recommender::segments {

enum class RfmSegment : uint8_t {
  kNone = 0,            // Not scored: no order up to as_of.
  kChampions,           // R 5, F 4-5: bought lately and often.
  kLoyal,               // R 3-4, F 4-5: buy often, not quite the latest.
  kPotentialLoyalists,  // R 4-5, F 2-3: recent, a few orders.
  kNew,                 // R 5, F 1: first order just now.
  kPromising,           // R 4, F 1: one recent order.
  kNeedAttention,       // R 3, F 3: middling on both.
  kAboutToSleep,        // R 3, F 1-2: fading, few orders.
  kAtRisk,              // R 1-2, F 3-4: used to buy regularly, gone quiet.
  kCantLose,            // R 1-2, F 5: best buyers of old, gone quiet.
  kHibernating,         // R 1-2, F 1-2: long gone, few orders.
};
inline constexpr int kNumRfmSegments = 11;

// "champions", "loyal", "potential_loyalists", "new", "promising",
// "need_attention", "about_to_sleep", "at_risk", "cant_lose",
// "hibernating"; "none" for kNone.
absl::string_view RfmSegmentName(RfmSegment segment);
// Inverse of RfmSegmentName (not "none"); nullopt for other text.
std::optional<RfmSegment> ParseRfmSegment(absl::string_view name);
// The rule in words, e.g. "R 1-2, F 3-4".
absl::string_view RfmSegmentRule(RfmSegment segment);
// The named segment of a cell; r and f 1 to 5 (kNone otherwise).
RfmSegment RfmSegmentOf(int r, int f);

// Per customer of the facts: R, F and M scores 1 to 5 (0 for customers
// without an order) and the named segment.
struct RfmScores {
  std::vector<uint8_t> r;
  std::vector<uint8_t> f;
  std::vector<uint8_t> m;
  std::vector<RfmSegment> segment;
  // How many customers were scored.
  int64_t scored = 0;
};

// O(n log n) in the customers of `facts`.
RfmScores ScoreRfm(const CustomerFacts& facts);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_RFM_SCORES_H_
