// The ranking core of the service: personalized picks for a customer and
// items similar to an item, over one immutable ModelSnapshot. No gRPC here;
// serving/ converts requests and statuses at its edge.
//
// Promises: a durable item the customer already bought is never returned
// (bought before training or since, as live events); every returned item
// passes the caller's filter and per-category cap; at most `count` items,
// best first, each with a reason.
//
// Stages of Recommend, each a separate input:
//   1. exclusions: owned durables (snapshot + LiveContext::purchased_items),
//      with exclude_purchased everything the customer bought, the
//      request's recently viewed items, the filter;
//   2. candidates: the taste vector (LiveContext::taste, folded in from
//      events since training, else the snapshot's) searched in the index;
//      without one, items popular with similar customers (attributes), then
//      popular items;
//   3. diversity: at most `max_per_category` items of one category;
//   4. reasons, naming the nearest item the customer bought or viewed.
//
// Thread-safe: pure functions of their arguments.
#ifndef RECOMMENDER_RANKING_RECOMMEND_H_
#define RECOMMENDER_RANKING_RECOMMEND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ltr/ranker_model.h"
#include "recommender/model/segment_popularity.h"
#include "recommender/filter/item_filter.h"
#include "recommender/ranking/candidate_features.h"
#include "recommender/ranking/candidate_cache.h"
#include "recommender/ranking/repurchase_adjuster.h"
#include "recommender/ranking/request_context.h"

namespace recommender {

inline constexpr int kMaxRecommendations = 100;

inline constexpr int kMaxRecentlyViewed = 50;

enum class ReasonCode {
  kPersonalized,                // From the customer's learned taste.
  kPopular,                     // Popularity fallback.
  kSimilarItem,                 // Near the anchor item of SimilarItems.
  kPopularWithSimilarCustomers, // Bought by customers with like attributes.
  kSameCategory,                // Same category as a new anchor item.
  kRepurchaseDue,               // A consumable bought on a cycle, due again.
};

struct Recommendation {
  int32_t item = 0;  // Row in the snapshot's item table.
  float score = 0;
  ReasonCode reason = ReasonCode::kPersonalized;
  // For people: "similar to Drip coffee 500g you bought".
  std::string reason_text;
};

struct RecommendQuery {
  // Empty for an anonymous visitor, who must then give recently viewed items.
  std::string customer_id;
  int count = 10;
  ItemFilter filter;
  // Items viewed in this visit, newest first (at most kMaxRecentlyViewed).
  // They steer the picks and are not themselves returned; ids the model
  // does not know are ignored.
  std::vector<std::string> recently_viewed_item_ids;
  // Profile of a customer the model has no attributes for.
  CustomerAttributes attributes;
  // At most this many items of one category (exact path); 0: no cap.
  int max_per_category = 0;
  // The moment to rank for (which consumables are due); unset: the
  // snapshot's data_end.
  std::optional<absl::Time> as_of = std::nullopt;
  // The repurchase stage (repurchase_adjuster.h); unset: the snapshot's
  // (SnapshotRepurchaseOptions, tuned at training or the defaults).
  std::optional<RepurchaseRankingOptions> repurchase;
  // Leave out every item this customer ever bought, of any class: the
  // snapshot's history plus LiveContext::purchased_items, however many
  // (a storefront's "new to you" shelf; no id list to send, so no list
  // limit to trip). Nothing for a visitor without a customer_id.
  bool exclude_purchased = false;
};

// InvalidArgument naming the field: no customer_id and no recently viewed
// items, a count outside 1..100, more than kMaxRecentlyViewed or an empty
// viewed id, a negative max_per_category, a bad filter.
absl::Status ValidateRecommendQuery(const RecommendQuery& query);

// Picks for a customer or visitor (stages above). Without a taste vector:
// items popular with customers of the same attributes if known, then
// popular items, with a reason saying which. With the snapshot's learned
// ranker, stage 2 is RecommendWithRanking's. With `cache` (not owned; may
// be null), a known customer's searched candidates (the ranker's iALS
// source, or the taste search without one) come from it when its stamp
// matches (candidate_cache.h) and are stored there otherwise, in a slot of
// their own for requests with exclude_purchased when the snapshot's
// blocks serve those apart; a filter the cached list cannot fill falls
// back to a search. Errors as in ValidateRecommendQuery.
absl::StatusOr<std::vector<Recommendation>> Recommend(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live = LiveContext(), CandidateCache* cache = nullptr);

// Recommend for a caller that has already searched the index for the
// taste this call ranks with (RankingTaste): `searched` is that search's
// answer, best first (e.g. one row of a batched search). Used like a cache
// hit, with the same fallback to a search.
absl::StatusOr<std::vector<Recommendation>> RecommendFromCandidates(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live, const std::vector<ScoredItem>& searched);

// How many items a Recommend of `count` items asks the index for (more
// with the snapshot's learned ranker, whose iALS source wants a wider
// list): a `searched` list this long usually spares RecommendFromCandidates
// a search.
int64_t CandidateSearchWidth(const ModelSnapshot& snapshot, int count);

// The taste vector Recommend searches with: the live one, else the
// customer's in the snapshot, as the query's kind of request scores with it
// (ModelSnapshot::request_mask); empty if neither (cold start).
std::vector<float> RankingTaste(const ModelSnapshot& snapshot,
                                const RecommendQuery& query,
                                const LiveContext& live);

// A learned ranker and the candidate settings it was trained with.
struct LearnedRanking {
  // Null: rank without one (the taste search and the repurchase stage).
  const RankerModel* model = nullptr;
  CandidateOptions candidates;
  // The requests it ranks (by exclude_purchased); the others rank without.
  snapshot::ServedRequests requests = snapshot::SERVED_REQUESTS_EVERY;

  // The model if it ranks a request that does (or does not) exclude what
  // the customer bought; null otherwise.
  const RankerModel* For(bool excludes_purchased) const {
    const snapshot::ServedRequests other =
        excludes_purchased ? snapshot::SERVED_REQUESTS_INCLUDING_PURCHASED
                           : snapshot::SERVED_REQUESTS_EXCLUDING_PURCHASED;
    return requests == other ? nullptr : model;
  }
};

// The snapshot's own ranker (null if it has none) and settings.
LearnedRanking SnapshotRanking(const ModelSnapshot& snapshot);

// Recommend with `ranking` in place of the snapshot's own (training uses it
// to compare rankers on one snapshot). With a ranker, stage 2 takes
// candidates from every source (candidate_features.h) in the ranker's
// order; the exclusions of stage 1 hold whatever the ranker says, and
// consumables bought since training are left out.
absl::StatusOr<std::vector<Recommendation>> RecommendWithRanking(
    const ModelSnapshot& snapshot, const LearnedRanking& ranking,
    const RecommendQuery& query, const LiveContext& live = LiveContext());

// The candidates and features the learned-ranker stage would score for
// `query` (after stage 1's exclusions), without scoring them: the trainer
// builds the ranker's examples with it. Empty for a cold start (no taste
// vector: the ranker is not used). Errors as in ValidateRecommendQuery.
absl::StatusOr<CandidateSet> RankerCandidates(
    const ModelSnapshot& snapshot, const CandidateOptions& options,
    const RecommendQuery& query, const LiveContext& live = LiveContext());

struct SimilarItemsQuery {
  std::string item_id;
  int count = 10;
  ItemFilter filter;
  // As in RecommendQuery.
  int max_per_category = 0;
};

// Items nearest to `item_id` by embedding, never the item itself.
// NotFound for an unknown item; InvalidArgument as for Recommend.
absl::StatusOr<std::vector<Recommendation>> SimilarItems(
    const ModelSnapshot& snapshot, const SimilarItemsQuery& query);

// An item added to the catalog since the model was trained: it has no
// vector yet, only its catalog entry.
struct NewItem {
  std::string title;
  std::string category;
};

// SimilarItems for an item too new for the model: items of its category
// path, most bought lately first, then the rest of the category; if that
// yields fewer than `count`, the parent category's (reason kSameCategory,
// score = recent purchases). Errors as in SimilarItems (the item_id is not
// looked up).
absl::StatusOr<std::vector<Recommendation>> SimilarItemsInCategory(
    const ModelSnapshot& snapshot, const NewItem& anchor,
    const SimilarItemsQuery& query);

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_RECOMMEND_H_
