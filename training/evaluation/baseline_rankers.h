// The simple models every recommender must beat, as EvalRankers:
//  - popularity: items by how many customers bought them in training;
//  - re-buy ("own history first, then popular"): the customer's own
//    purchases, most often bought first (then most recently), then popular
//    items — in retail logs, where re-buying dominates, a strong baseline on
//    "any purchase counts" that knows nothing about new items;
//  - re-buy, popular ties: the same, but items bought equally often are
//    ordered by how many customers buy them shop-wide instead of by
//    recency (stronger where most of a customer's items were bought once
//    or twice: the many ties then fall to the shop's staples);
//  - score ranking: the best items by a per-customer score vector (plain
//    iALS by dot product, item-kNN, EASE), with no business rules.
//
// Thread-safe once built: Rank is const.
#ifndef TRAINING_EVALUATION_BASELINE_RANKERS_H_
#define TRAINING_EVALUATION_BASELINE_RANKERS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/types/span.h"
#include "recommender/data/shop_data.h"
#include "training/evaluation/protocol/eval_ranker.h"
#include "training/ials/ials.h"

namespace recommender {

// Item rows by distinct training buyers, most first (ties: lower row).
// Items nobody bought come last, by row.
std::vector<int32_t> ItemsByPopularity(const ShopData& train);

class PopularityRanker : public EvalRanker {
 public:
  explicit PopularityRanker(const ShopData& train)
      : order_(ItemsByPopularity(train)) {}
  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override;

 private:
  std::vector<int32_t> order_;
};

// How RebuyRanker orders a customer's items bought equally often.
enum class RebuyTieBreak {
  kRecency,     // Most recently bought first ("rebuy").
  kPopularity,  // Most distinct buyers in the shop first ("rebuy_popular").
};

class RebuyRanker : public EvalRanker {
 public:
  explicit RebuyRanker(const ShopData& train,
                       RebuyTieBreak tie_break = RebuyTieBreak::kRecency);
  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override;

 private:
  std::vector<int32_t> popular_;
  // Per customer: purchased items, most often bought first, ties as asked.
  std::vector<std::vector<int32_t>> history_;
};

// Fills `scores` (one per item) for a customer row.
using CustomerScorer =
    std::function<void(int32_t customer, absl::Span<float> scores)>;

class ScoreRanker : public EvalRanker {
 public:
  ScoreRanker(int32_t num_items, CustomerScorer scorer)
      : num_items_(num_items), scorer_(std::move(scorer)) {}
  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override;

 private:
  int32_t num_items_;
  CustomerScorer scorer_;
};

// Scores by the dot product of the customer's and the items' factors.
CustomerScorer IalsScorer(const IalsModel& model);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_BASELINE_RANKERS_H_
