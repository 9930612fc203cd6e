// SegmentSelector: the customers a segment expression describes, over the
// facts of one snapshot at one date. RFM scores and lifetime-value deciles
// are computed once at construction; each selection is then a scan over
// plain arrays (the cheap terms first, each later term only over the
// customers still in), with the consumable forecasts of `due(...)` last
// and only for the customers left.
//
// Ownership: shares the facts (and through them the snapshot).
// Thread-safe: immutable after construction; Select may run concurrently.
#ifndef RECOMMENDER_SEGMENTS_SEGMENT_SELECTOR_H_
#define RECOMMENDER_SEGMENTS_SEGMENT_SELECTOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/rfm_scores.h"
#include "recommender/segments/segment_expression.h"

namespace recommender::segments {

class SegmentSelector {
 public:
  explicit SegmentSelector(std::shared_ptr<const CustomerFacts> facts);

  const CustomerFacts& facts() const { return *facts_; }
  const RfmScores& rfm() const { return rfm_; }
  // Per customer 1 to 10; 0 where the lifetime value is unknown.
  const std::vector<uint8_t>& ltv_deciles() const { return ltv_deciles_; }

  // The matching customers (indices into facts()), ascending; erased
  // customers (right to erasure) never match. FailedPrecondition naming `field` for ltv_decile when the snapshot has
  // no customer-lifetime model, or due(...) when it has no repurchase
  // model: there the answer would be "nobody" for want of a model, not for
  // want of such customers.
  absl::StatusOr<std::vector<int32_t>> Select(
      const SegmentExpression& expression,
      absl::string_view field = "segment") const;

 private:
  // Select, erased customers included.
  absl::StatusOr<std::vector<int32_t>> SelectAll(
      const SegmentExpression& expression, absl::string_view field) const;
  // Keeps the customers of `rows` (all if `all`) for whom `term` holds.
  void Filter(const SegmentTerm& term, bool all,
              std::vector<int32_t>* rows) const;
  void FilterDue(const SegmentTerm& term, std::vector<int32_t>* rows) const;

  std::shared_ptr<const CustomerFacts> facts_;
  RfmScores rfm_;
  std::vector<uint8_t> ltv_deciles_;
};

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_SEGMENT_SELECTOR_H_
