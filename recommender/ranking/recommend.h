// The ranking core of the service: personalized picks for a customer and
// items similar to an item, over one immutable ModelSnapshot. No gRPC here;
// serving/ converts requests and statuses at its edge.
//
// Promises: a durable item the customer already bought is never returned;
// every returned item passes the caller's filter; at most `count` items,
// best first, each with a reason.
//
// Thread-safe: pure functions of their arguments.
#ifndef RECOMMENDER_RANKING_RECOMMEND_H_
#define RECOMMENDER_RANKING_RECOMMEND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/item_filter.h"
#include "recommender/ranking/repurchase_adjuster.h"

namespace recommender {

inline constexpr int kMaxRecommendations = 100;

enum class ReasonCode {
  kPersonalized,  // From the customer's learned taste.
  kPopular,       // Popularity fallback.
  kSimilarItem,   // Near the anchor item of SimilarItems.
  kRepurchaseDue, // A consumable the customer buys that is due again.
};

struct Recommendation {
  int32_t item = 0;  // Row in the snapshot's item table.
  float score = 0;
  ReasonCode reason = ReasonCode::kPersonalized;
  // For people: "similar to Drip coffee 500g you bought".
  std::string reason_text;
};

struct RecommendQuery {
  std::string customer_id;
  int count = 10;
  ItemFilter filter;
  // The moment to rank for (which consumables are due); unset: the
  // snapshot's data_end.
  std::optional<absl::Time> as_of = std::nullopt;
  // The repurchase stage (repurchase_adjuster.h).
  RepurchaseRankingOptions repurchase = {};
};

// Picks for a customer. Unknown customers and customers without a learned
// vector get popular items, with a reason saying so. InvalidArgument naming
// the field for an empty customer_id, a count outside 1..100 or a bad filter.
absl::StatusOr<std::vector<Recommendation>> Recommend(
    const ModelSnapshot& snapshot, const RecommendQuery& query);

struct SimilarItemsQuery {
  std::string item_id;
  int count = 10;
  ItemFilter filter;
};

// Items nearest to `item_id` by embedding, never the item itself.
// NotFound for an unknown item; InvalidArgument as for Recommend.
absl::StatusOr<std::vector<Recommendation>> SimilarItems(
    const ModelSnapshot& snapshot, const SimilarItemsQuery& query);

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_RECOMMEND_H_
