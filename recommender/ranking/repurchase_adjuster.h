// The repurchase stage of Recommend: consumables the customer buys on a
// cycle are left out right after a purchase and moved up as they come due,
// with a reason that says so ("re-bought about every 30 days; last bought
// 27 days ago"). Forecasts come from recommender/timing/next_purchase.h.
//
// Every knob of the stage is in RepurchaseRankingOptions, so an evaluation
// can tune it per query.
//
// Thread-safe: immutable after construction.
#ifndef RECOMMENDER_RANKING_REPURCHASE_ADJUSTER_H_
#define RECOMMENDER_RANKING_REPURCHASE_ADJUSTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/filter/item_filter.h"
#include "recommender/index/item_index.h"
#include "recommender/timing/next_purchase.h"

namespace recommender {

struct RepurchaseRankingOptions {
  bool enabled = true;
  // A consumable bought less than this fraction of its typical interval
  // ago is not recommended (the customer has plenty left), unless it is
  // due soon all the same (a short cycle). A quarter: at half, purchases
  // within the week were lost (docs/evaluation.md).
  double suppress_before_fraction = 0.25;
  // Due-soon and overdue consumables (not lapsed ones) get
  //   boost_weight * P(bought within boost_window_days) * top score
  // added to their taste score; they join the picks even when the taste
  // search did not find them.
  double boost_window_days = 7;
  double boost_weight = 1.0;
  // Also boost, by the same formula, the customer's consumables that are
  // neither due yet nor just bought: their probability of being bought
  // within the window is smaller but not zero (cycles vary), and ranking
  // by it beats a due/not-due cut (measured in docs/evaluation.md).
  bool boost_not_yet_due = true;
  RepurchaseStatusOptions status;
};

// The options the snapshot was trained to rank with: its manifest's
// "repurchase_*" parameters (the self-tuning's choice) over the defaults
// above.
RepurchaseRankingOptions SnapshotRepurchaseOptions(const ModelSnapshot& snapshot);

class RepurchaseAdjuster {
 public:
  // Forecasts the customer's consumables at `as_of`. `snapshot` must
  // outlive the adjuster. Disabled options or no timing model: no effect.
  RepurchaseAdjuster(const ModelSnapshot& snapshot, int32_t customer_row,
                     absl::Time as_of, const RepurchaseRankingOptions& options);

  // Items to leave out of the candidates: bought too recently.
  const std::vector<int32_t>& suppressed() const { return suppressed_; }

  // True if some consumable is boosted (Rerank would change something).
  bool has_boosts() const { return !boosts_.empty(); }

  // True if the timing model knows `item` as a consumable.
  bool IsConsumable(int32_t item) const;

  struct Pick {
    int32_t item = 0;
    float score = 0;
    // Moved up as a consumable the customer re-buys; `explanation` says
    // why.
    bool boosted = false;
    // Boosted and due soon or overdue (not merely likely within the window).
    bool due = false;
    std::string explanation;
  };

  // Adds the boosts to `candidates` (best first, scored against the taste
  // vector `taste`), adds due consumables that pass `filter` and are
  // missing, re-sorts and keeps the best `count`.
  std::vector<Pick> Rerank(absl::Span<const float> taste,
                           const BoundItemFilter& filter, int count,
                           absl::Span<const ScoredItem> candidates) const;

 private:
  struct Boost {
    int32_t item;
    double probability;
    bool due;
    std::string explanation;
  };

  const ModelSnapshot& snapshot_;
  const RepurchaseRankingOptions options_;
  std::vector<int32_t> suppressed_;
  std::vector<Boost> boosts_;
};

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_REPURCHASE_ADJUSTER_H_
