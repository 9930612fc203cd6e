// The learned ranker's input for one request: candidates from several
// sources, each with its row of features (recommender/ltr/ranking_features.h).
// The trainer builds its examples with this same code, so what the ranker
// learned from is what it scores when serving.
//
// Sources, each proposing up to `per_source` items that pass the filter:
//   - the taste vector's nearest items (iALS, through the item index);
//   - item-kNN and EASE over the customer's history (when the snapshot
//     carries their neighbour lists);
//   - the customer's own purchases, most bought first, ties by the item's
//     buyers (then the newest);
//   - the items they viewed or put in their cart, newest first;
//   - the shop's recent best sellers.
//
// Thread-safe: pure functions of their arguments.
#ifndef RECOMMENDER_RANKING_CANDIDATE_FEATURES_H_
#define RECOMMENDER_RANKING_CANDIDATE_FEATURES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/filter/item_filter.h"
#include "recommender/index/item_index.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/request_context.h"
#include "recommender/timing/next_purchase.h"

namespace recommender {

enum class CandidateSource { kIals, kItemKnn, kEase, kRebuy, kTouched, kPopular };

struct CandidateOptions {
  // Items each source proposes; at least the request's count is used.
  int32_t per_source = 50;
  // The horizon of the repurchase model's P(bought within), in days.
  double horizon_days = 7;
  RepurchaseStatusOptions status;
};

// The settings a snapshot's ranker was trained with (manifest().ranker());
// the defaults above where it records none.
CandidateOptions SnapshotCandidateOptions(const ModelSnapshot& snapshot);

struct CandidateRequest {
  // The customer's row in the snapshot; unset for a visitor it does not know.
  std::optional<int32_t> customer_row;
  // The taste vector (may be empty: no iALS source).
  absl::Span<const float> taste;
  // Optional: items searched for `taste` before (unfiltered, best first,
  // e.g. a candidate cache entry); the iALS source takes its items from
  // them and searches only if they cannot fill it.
  const std::vector<ScoredItem>* searched = nullptr;
  const LiveContext* live = nullptr;  // Optional.
  absl::Time as_of;
  // The request's list length.
  int count = 10;
  // The request leaves out every item the customer bought (a feature: the
  // best order of never-bought items differs from that of a whole list).
  bool excludes_purchased = false;
};

struct CandidateSet {
  std::vector<int32_t> items;
  // Per item: the source that ranked it highest (ties: the order of
  // CandidateSource).
  std::vector<CandidateSource> best_source;
  // items.size() rows of kNumRankingFeatures floats, row-major.
  std::vector<float> features;
  // The customer's consumable forecasts by item (for reasons).
  absl::flat_hash_map<int32_t, ConsumableForecast> forecasts;
};

// How many items the iALS source first asks the index for, for a request
// of `count` items: a searched list at least this long usually spares it
// the search.
int64_t IalsSearchWidth(const CandidateOptions& options, int count);

// The candidates of one request and their features. Errors from the index.
absl::StatusOr<CandidateSet> GenerateCandidates(
    const ModelSnapshot& snapshot, const CandidateRequest& request,
    const BoundItemFilter& filter, const CandidateOptions& options);

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_CANDIDATE_FEATURES_H_
