#include "recommender/ranking/recommend.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/index/top_k.h"
#include "recommender/ranking/candidate_features.h"
#include "recommender/util/quote.h"
#include "recommender/util/status_macros.h"

namespace recommender {
namespace {

// How many of a customer's most recent distinct items are considered when
// explaining a pick.
constexpr int kExplanationHistory = 20;

absl::Status ValidateCount(int count) {
  if (count < 1 || count > kMaxRecommendations) {
    return absl::InvalidArgumentError(
        absl::StrCat("count: must be between 1 and ", kMaxRecommendations,
                     ", got ", count));
  }
  return absl::OkStatus();
}

absl::Status ValidateMaxPerCategory(int max_per_category) {
  if (max_per_category < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_per_category: must be >= 0 (0: no cap), got ", max_per_category));
  }
  return absl::OkStatus();
}

// Eight independent partial sums, so that the compiler vectorizes the loop
// (one running sum is a chain of dependent adds: 4 cycles per element).
// Reasons call it 20 times per pick.
float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  constexpr size_t kLanes = 8;
  float partial[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= a.size(); i += kLanes) {
    for (size_t lane = 0; lane < kLanes; ++lane) {
      partial[lane] += a[i + lane] * b[i + lane];
    }
  }
  float sum = 0;
  for (float p : partial) sum += p;
  for (; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// A filter that needs more index candidates than this to yield `count`
// items is narrow: the accepted items are scanned exactly instead (an
// approximate index asked for 100k+ candidates would be slower than the
// scan, and at most as good).
constexpr int64_t kMaxIndexCandidates = 4096;

// The `count` accepted items with the highest inner product, by scanning
// every item.
std::vector<ScoredItem> ScanFiltered(const ModelSnapshot& snapshot,
                                     absl::Span<const float> query, int count,
                                     const BoundItemFilter& filter) {
  TopK top(count);
  for (int32_t row = 0; row < snapshot.num_items(); ++row) {
    if (filter.Accepts(row)) top.Offer(row, Dot(snapshot.item_vector(row), query));
  }
  return top.Take();
}

// Collects picks in rank order: each must pass the filter, not be taken
// already, and fit under the per-category cap.
class PickCollector {
 public:
  PickCollector(const ModelSnapshot& snapshot, const BoundItemFilter& filter,
                int count, int max_per_category)
      : snapshot_(snapshot),
        filter_(filter),
        count_(count),
        max_per_category_(max_per_category) {}

  bool full() const { return static_cast<int>(picks_.size()) >= count_; }

  // Adds the pick if it is acceptable and there is room.
  void Offer(Recommendation pick) {
    if (full() || !filter_.Accepts(pick.item) || taken_.contains(pick.item)) {
      return;
    }
    if (max_per_category_ > 0) {
      int& in_category = per_category_[snapshot_.item(pick.item).category()];
      if (in_category >= max_per_category_) return;
      ++in_category;
    }
    taken_.insert(pick.item);
    picks_.push_back(std::move(pick));
  }

  std::vector<Recommendation> Take() { return std::move(picks_); }

 private:
  const ModelSnapshot& snapshot_;
  const BoundItemFilter& filter_;
  const int count_;
  const int max_per_category_;
  std::vector<Recommendation> picks_;
  absl::flat_hash_set<int32_t> taken_;
  absl::flat_hash_map<std::string, int> per_category_;
};

// How wide Recommend without a learned ranker first searches for `count`
// picks (room for the filters).
int64_t UnrankedSearchWidth(int count) { return 4 * int64_t{count} + 16; }

// Searches the index for `query` and offers the results in order, widening
// the search until the collector is full or the whole catalog has been
// seen; past kMaxIndexCandidates, scans the accepted items instead (all of
// them in score order when a category cap may pass some over). `make`
// turns a search hit into a pick.
template <typename MakePick>
absl::StatusOr<std::vector<Recommendation>> SearchAndCollect(
    const ModelSnapshot& snapshot, absl::Span<const float> query, int count,
    int max_per_category, const BoundItemFilter& filter, MakePick make) {
  const int64_t num_items = snapshot.num_items();
  int64_t k = std::min<int64_t>(num_items, UnrankedSearchWidth(count));
  while (true) {
    const bool scan = k > kMaxIndexCandidates;
    std::vector<ScoredItem> found;
    if (scan) {
      found = ScanFiltered(
          snapshot, query,
          max_per_category > 0 ? static_cast<int>(num_items) : count, filter);
    } else {
      ASSIGN_OR_RETURN(found,
                       snapshot.index().Search(query, static_cast<int>(k)));
    }
    PickCollector collector(snapshot, filter, count, max_per_category);
    for (const ScoredItem& candidate : found) {
      // The filter first: a rejected candidate needs no reason text.
      if (!filter.Accepts(candidate.item)) continue;
      collector.Offer(make(candidate));
      if (collector.full()) break;
    }
    if (scan || collector.full() || k >= num_items) return collector.Take();
    k = std::min<int64_t>(num_items, k * 4);
  }
}

// Where a personal call gets its candidates: searched already by the
// caller, or the customer's cache entry; neither means a plain search.
struct SearchedCandidates {
  CandidateCache* cache = nullptr;
  const std::vector<ScoredItem>* searched = nullptr;
  // The customer's slot in `cache`: one per taste a kind of request
  // searches (CacheSlot).
  int cache_slot = 0;
};

// Requests with exclude_purchased search a taste of their own only when the
// snapshot's blocks serve the two kinds apart; they then keep their list in
// a slot of their own, so that a page showing both shelves hits both.
int CacheSlot(const ModelSnapshot& snapshot, const RecommendQuery& query) {
  return query.exclude_purchased && !snapshot.request_mask(true).empty() ? 1
                                                                         : 0;
}

// The unfiltered candidates searched for `taste`: the caller's list, else
// the customer's cache entry (searched at least `wanted` wide and stored
// on a miss). Never null on success.
absl::StatusOr<CandidateList> SearchedOrCached(const ModelSnapshot& snapshot,
                                               const SearchedCandidates& source,
                                               absl::string_view customer_id,
                                               const LiveContext& live,
                                               absl::Span<const float> taste,
                                               int64_t wanted) {
  if (source.searched != nullptr) {
    // Not owned: lives as long as the caller's list.
    return CandidateList(CandidateList(), source.searched);
  }
  CandidateCache& cache = *source.cache;
  CandidateStamp stamp{snapshot.version(),
                       std::vector<float>(taste.begin(), taste.end()),
                       live.purchased_items};
  CandidateList cached = cache.Find(customer_id, source.cache_slot, stamp);
  if (cached != nullptr) return cached;
  const int64_t k = std::min<int64_t>(
      snapshot.num_items(), std::max<int64_t>(cache.candidates(), wanted));
  ASSIGN_OR_RETURN(std::vector<ScoredItem> found,
                   snapshot.index().Search(taste, static_cast<int>(k)));
  return cache.Insert(customer_id, source.cache_slot, std::move(stamp),
                      std::move(found));
}

// SearchAndCollect over a list of candidates searched before for this
// taste (SearchedOrCached); when the list cannot fill the picks and does
// not hold the whole catalog, a real search.
template <typename MakePick>
absl::StatusOr<std::vector<Recommendation>> CollectFromCandidates(
    const ModelSnapshot& snapshot, const SearchedCandidates& source,
    absl::string_view customer_id, const LiveContext& live,
    absl::Span<const float> taste, int count, int max_per_category,
    const BoundItemFilter& filter, MakePick make) {
  ASSIGN_OR_RETURN(const CandidateList list,
                   SearchedOrCached(snapshot, source, customer_id, live, taste,
                                    UnrankedSearchWidth(count)));
  PickCollector collector(snapshot, filter, count, max_per_category);
  for (const ScoredItem& candidate : *list) {
    if (!filter.Accepts(candidate.item)) continue;
    collector.Offer(make(candidate));
    if (collector.full()) break;
  }
  if (collector.full() ||
      static_cast<int64_t>(list->size()) >= snapshot.num_items()) {
    return collector.Take();
  }
  return SearchAndCollect(snapshot, taste, count, max_per_category, filter,
                          make);
}

// An item the customer bought or touched, with the words for it.
struct HistoryItem {
  int32_t item = 0;
  const char* verb = "bought";
};

const char* Verb(EventType type) {
  switch (type) {
    case EventType::kView:
      return "viewed";
    case EventType::kCart:
      return "put in your cart";
    case EventType::kPurchase:
      return "bought";
  }
  return "bought";
}

// The customer's most recent distinct items, newest first: live ones, then
// the purchases the snapshot knows.
std::vector<HistoryItem> RecentHistory(const snapshot::Customer* customer,
                                       const LiveContext& live, int limit) {
  std::vector<HistoryItem> items;
  absl::flat_hash_set<int32_t> seen;
  auto add = [&](int32_t item, const char* verb) {
    if (static_cast<int>(items.size()) < limit && seen.insert(item).second) {
      items.push_back({item, verb});
    }
  };
  for (const RecentItem& recent : live.recent_items) {
    add(recent.item, Verb(recent.type));
  }
  if (customer != nullptr) {
    for (int i = customer->purchased_items_size() - 1; i >= 0; --i) {
      add(customer->purchased_items(i), "bought");
    }
  }
  return items;
}

// "similar to <title> you bought", naming the past item nearest to the
// pick; "you bought this before" when the pick is itself in the history (it
// is its own nearest item, and naming it would read as nonsense); a generic
// taste reason without history.
std::string ExplainPersonalPick(const ModelSnapshot& snapshot, int32_t pick,
                                const std::vector<HistoryItem>& history) {
  const HistoryItem* nearest = nullptr;
  float best = -std::numeric_limits<float>::infinity();
  for (const HistoryItem& past : history) {
    if (past.item == pick) return absl::StrCat("you ", past.verb, " this before");
    const float similarity =
        Dot(snapshot.item_vector(pick), snapshot.item_vector(past.item));
    if (similarity > best) {
      best = similarity;
      nearest = &past;
    }
  }
  if (nearest == nullptr) return "matches your browsing";
  return absl::StrCat("similar to ", snapshot.item(nearest->item).title(),
                      " you ", nearest->verb);
}

void OfferPopular(const ModelSnapshot& snapshot, absl::string_view reason_text,
                  PickCollector* collector) {
  for (int32_t row : snapshot.popular_items()) {
    if (collector->full()) return;
    collector->Offer({row,
                      static_cast<float>(snapshot.item(row).recent_purchases()),
                      ReasonCode::kPopular, std::string(reason_text)});
  }
}

// Popular with customers of like attributes, then popular in the shop.
std::vector<Recommendation> ColdStartPicks(const ModelSnapshot& snapshot,
                                           const RecommendQuery& query,
                                           const CustomerAttributes& attributes,
                                           const BoundItemFilter& filter,
                                           absl::string_view popular_reason) {
  PickCollector collector(snapshot, filter, query.count,
                          query.max_per_category);
  if (const SegmentPopularity::Segment* segment =
          snapshot.segments().Find(attributes)) {
    const std::string reason = absl::StrCat("popular with customers like you (",
                                            DescribeSegment(segment->key), ")");
    for (size_t i = 0; i < segment->items.size() && !collector.full(); ++i) {
      collector.Offer({segment->items[i],
                       static_cast<float>(segment->purchases[i]),
                       ReasonCode::kPopularWithSimilarCustomers, reason});
    }
  }
  OfferPopular(snapshot, popular_reason, &collector);
  return collector.Take();
}

// The customer's consumables join the picks with scores raised by their
// chance of being bought within the window (due ones with the repurchase
// reason); the merged list is collected again under the filter and the
// per-category cap.
std::vector<Recommendation> ApplyRepurchaseBoosts(
    const ModelSnapshot& snapshot, const RepurchaseAdjuster& repurchase,
    absl::Span<const float> taste, const BoundItemFilter& filter,
    const RecommendQuery& query, std::vector<Recommendation> picks) {
  if (!repurchase.has_boosts()) return picks;
  std::vector<ScoredItem> candidates;
  absl::flat_hash_map<int32_t, size_t> position;
  for (size_t i = 0; i < picks.size(); ++i) {
    candidates.push_back({picks[i].item, picks[i].score});
    position[picks[i].item] = i;
  }
  PickCollector collector(snapshot, filter, query.count, query.max_per_category);
  for (const RepurchaseAdjuster::Pick& pick : repurchase.Rerank(
           taste, filter, kMaxRecommendations + snapshot.num_items(),
           candidates)) {
    const auto found = position.find(pick.item);
    if (pick.due) {
      collector.Offer({pick.item, pick.score, ReasonCode::kRepurchaseDue,
                       pick.explanation});
    } else if (found != position.end()) {
      // A taste pick; if it is also a consumable the customer re-buys, its
      // cycle explains it better than its likeness to itself.
      Recommendation original = std::move(picks[found->second]);
      original.score = pick.score;
      if (pick.boosted) original.reason_text = pick.explanation;
      collector.Offer(std::move(original));
    } else {
      // A consumable the customer re-buys, likely needed within the
      // window though not due yet.
      collector.Offer({pick.item, pick.score, ReasonCode::kPersonalized,
                       pick.explanation});
    }
  }
  return collector.Take();
}

// The reason for a learned-ranker pick, from the source that ranked it
// highest: a consumable's cycle when it has one, a popular item as such,
// the nearest item of the customer's history otherwise.
Recommendation ExplainRankedPick(const ModelSnapshot& snapshot,
                                 const CandidateSet& candidates, size_t c,
                                 float score,
                                 const std::vector<HistoryItem>& history) {
  const int32_t item = candidates.items[c];
  const CandidateSource source = candidates.best_source[c];
  if (const auto f = candidates.forecasts.find(item);
      f != candidates.forecasts.end() && source == CandidateSource::kRebuy) {
    const bool due = f->second.status == RepurchaseStatus::kDueSoon ||
                     f->second.status == RepurchaseStatus::kOverdue;
    return {item, score,
            due ? ReasonCode::kRepurchaseDue : ReasonCode::kPersonalized,
            f->second.explanation};
  }
  if (source == CandidateSource::kPopular) {
    return {item, score, ReasonCode::kPopular, "popular in the shop"};
  }
  return {item, score, ReasonCode::kPersonalized,
          ExplainPersonalPick(snapshot, item, history)};
}

// `taste` as a request that does (or does not) exclude what the customer
// bought scores with it: multiplied by the snapshot's request mask into
// `storage` when it has one, else `taste` itself.
absl::Span<const float> TasteForRequest(const ModelSnapshot& snapshot,
                                        bool excludes_purchased,
                                        absl::Span<const float> taste,
                                        std::vector<float>& storage) {
  const absl::Span<const float> mask =
      snapshot.request_mask(excludes_purchased);
  if (mask.empty() || taste.size() != mask.size()) return taste;
  storage.resize(taste.size());
  for (size_t d = 0; d < taste.size(); ++d) storage[d] = taste[d] * mask[d];
  return storage;
}

// Stage 1 of every Recommend: the customer, their taste vector and the
// exclusions (owned durables, this visit's views, the request's filter).
struct Stage1 {
  Stage1(const ModelSnapshot& snapshot, const RecommendQuery& query)
      : filter(query.filter, snapshot) {}
  BoundItemFilter filter;
  std::optional<int32_t> customer_row;
  const snapshot::Customer* customer = nullptr;
  // Empty: no vector (cold start).
  absl::Span<const float> taste;
  // The taste as this kind of request scores with it, when the snapshot's
  // blocks serve the kinds apart (`taste` then points here).
  std::vector<float> masked_taste;
};

void PrepareStage1(const ModelSnapshot& snapshot, const RecommendQuery& query,
                   const LiveContext& live, Stage1& stage) {
  BoundItemFilter& filter = stage.filter;
  stage.customer_row = query.customer_id.empty()
                           ? std::nullopt
                           : snapshot.FindCustomer(query.customer_id);
  stage.customer = stage.customer_row.has_value()
                       ? &snapshot.customer(*stage.customer_row)
                       : nullptr;
  // Owned durables always; with exclude_purchased, anything bought.
  auto exclude_bought = [&](int32_t item) {
    if (query.exclude_purchased ||
        snapshot.item(item).durability() == snapshot::DURABLE) {
      filter.Exclude(item);
    }
  };
  if (stage.customer != nullptr) {
    for (int32_t item : stage.customer->purchased_items()) exclude_bought(item);
  }
  for (int32_t item : live.purchased_items) exclude_bought(item);
  for (const std::string& id : query.recently_viewed_item_ids) {
    if (std::optional<int32_t> item = snapshot.FindItem(id)) {
      filter.Exclude(*item);
    }
  }
  stage.taste = live.taste;
  if (stage.taste.empty() && stage.customer_row.has_value()) {
    stage.taste = snapshot.customer_vector(*stage.customer_row);
  }
  stage.taste = TasteForRequest(snapshot, query.exclude_purchased, stage.taste,
                                stage.masked_taste);
}

absl::Time AsOf(const ModelSnapshot& snapshot, const RecommendQuery& query) {
  if (query.as_of.has_value()) return *query.as_of;
  return SnapshotDataEnd(snapshot).value_or(absl::Now());
}

// The learned ranker's candidates after stage 1; consumables bought since
// training are left out as in the repurchase stage (the rest of that stage
// is the ranker's to learn).
absl::StatusOr<CandidateSet> StageTwoCandidates(
    const ModelSnapshot& snapshot, const CandidateOptions& options,
    const RecommendQuery& query, const LiveContext& live, Stage1& stage,
    const std::vector<ScoredItem>* searched = nullptr) {
  const RepurchaseRankingOptions repurchase =
      query.repurchase.value_or(SnapshotRepurchaseOptions(snapshot));
  if (repurchase.enabled) {
    const snapshot::RepurchaseModel& model = snapshot.timing().repurchase();
    for (int32_t item : live.purchased_items) {
      if (item < model.items_size() && model.items(item).consumable()) {
        stage.filter.Exclude(item);
      }
    }
  }
  CandidateRequest request;
  request.customer_row = stage.customer_row;
  request.taste = stage.taste;
  request.live = &live;
  request.as_of = AsOf(snapshot, query);
  request.count = query.count;
  request.excludes_purchased = query.exclude_purchased;
  request.searched = searched;
  return GenerateCandidates(snapshot, request, stage.filter, options);
}

// Stage 2 with a learned ranker: the candidates in the ranker's order
// (ties: lower row), then the per-category cap and reasons.
absl::StatusOr<std::vector<Recommendation>> RankedPicks(
    const ModelSnapshot& snapshot, const LearnedRanking& ranking,
    const RecommendQuery& query, const LiveContext& live,
    const std::vector<HistoryItem>& history, Stage1& stage,
    const SearchedCandidates& source) {
  // The iALS source's items from the caller's or the cache's list.
  CandidateList searched;
  if (source.searched != nullptr ||
      (source.cache != nullptr && stage.customer_row.has_value())) {
    ASSIGN_OR_RETURN(
        searched,
        SearchedOrCached(snapshot, source, query.customer_id, live, stage.taste,
                         IalsSearchWidth(ranking.candidates, query.count)));
  }
  ASSIGN_OR_RETURN(const CandidateSet candidates,
                   StageTwoCandidates(snapshot, ranking.candidates, query, live,
                                      stage, searched.get()));
  ASSIGN_OR_RETURN(const std::vector<float> scores,
                   ranking.model->Score(candidates.features));
  std::vector<size_t> order(candidates.items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    return candidates.items[a] < candidates.items[b];
  });
  PickCollector collector(snapshot, stage.filter, query.count,
                          query.max_per_category);
  for (size_t c : order) {
    if (collector.full()) break;
    collector.Offer(ExplainRankedPick(snapshot, candidates, c, scores[c], history));
  }
  return collector.Take();
}

}  // namespace

absl::Status ValidateRecommendQuery(const RecommendQuery& query) {
  if (query.customer_id.empty() && query.recently_viewed_item_ids.empty()) {
    return absl::InvalidArgumentError(
        "customer_id: must not be empty (an anonymous visitor gives "
        "recently_viewed_item_ids instead)");
  }
  if (!query.customer_id.empty()) {
    if (absl::Status id = ValidateId(query.customer_id); !id.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("customer_id: ", id.message()));
    }
  }
  RETURN_IF_ERROR(ValidateCount(query.count));
  if (query.recently_viewed_item_ids.size() > kMaxRecentlyViewed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "recently_viewed_item_ids: at most ", kMaxRecentlyViewed, " ids, got ",
        query.recently_viewed_item_ids.size()));
  }
  for (size_t i = 0; i < query.recently_viewed_item_ids.size(); ++i) {
    if (absl::Status id = ValidateId(query.recently_viewed_item_ids[i]);
        !id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "recently_viewed_item_ids[", i, "]: ", id.message()));
    }
  }
  for (const auto& [field, text] :
       {std::pair<const char*, const std::string*>{
            "attributes.age_band", &query.attributes.age_band},
        {"attributes.gender", &query.attributes.gender},
        {"attributes.region", &query.attributes.region}}) {
    if (absl::Status valid = ValidateText("value", *text, kMaxIdBytes);
        !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", valid.message()));
    }
  }
  RETURN_IF_ERROR(ValidateMaxPerCategory(query.max_per_category));
  return ValidateItemFilter(query.filter);
}

LearnedRanking SnapshotRanking(const ModelSnapshot& snapshot) {
  return {snapshot.ranker(), SnapshotCandidateOptions(snapshot),
          snapshot.manifest().ranker().requests()};
}

std::vector<float> RankingTaste(const ModelSnapshot& snapshot,
                                const RecommendQuery& query,
                                const LiveContext& live) {
  absl::Span<const float> taste = live.taste;
  if (taste.empty() && !query.customer_id.empty()) {
    if (const std::optional<int32_t> row =
            snapshot.FindCustomer(query.customer_id)) {
      taste = snapshot.customer_vector(*row);
    }
  }
  std::vector<float> masked;
  const absl::Span<const float> scored =
      TasteForRequest(snapshot, query.exclude_purchased, taste, masked);
  return std::vector<float>(scored.begin(), scored.end());
}

namespace {

// Every Recommend: stage 1, then the learned ranker's stage 2 when
// `ranking` has a model, else the taste search (from `source` when it has
// candidates) and the repurchase stage.
absl::StatusOr<std::vector<Recommendation>> RecommendWith(
    const ModelSnapshot& snapshot, const LearnedRanking& ranking,
    const RecommendQuery& query, const LiveContext& live,
    const SearchedCandidates& source) {
  RETURN_IF_ERROR(ValidateRecommendQuery(query));
  Stage1 stage(snapshot, query);
  PrepareStage1(snapshot, query, live, stage);
  BoundItemFilter& filter = stage.filter;
  const std::optional<int32_t>& customer_row = stage.customer_row;
  const snapshot::Customer* customer = stage.customer;
  const absl::Span<const float> taste = stage.taste;

  // Stage 2: candidates.
  if (taste.empty()) {
    CustomerAttributes attributes = query.attributes;
    if (customer != nullptr &&
        !(customer->age_band().empty() && customer->gender().empty() &&
          customer->region().empty())) {
      attributes = {customer->age_band(), customer->gender(),
                    customer->region()};
    }
    return ColdStartPicks(snapshot, query, attributes, filter,
                          customer != nullptr
                              ? "popular in the shop (no history yet)"
                              : "popular in the shop (customer not known yet)");
  }
  const std::vector<HistoryItem> history =
      RecentHistory(customer, live, kExplanationHistory);
  if (ranking.For(query.exclude_purchased) != nullptr) {
    return RankedPicks(snapshot, ranking, query, live, history, stage, source);
  }
  const std::optional<absl::Time> as_of =
      query.as_of.has_value() ? query.as_of : SnapshotDataEnd(snapshot);
  RepurchaseRankingOptions repurchase_options =
      query.repurchase.value_or(SnapshotRepurchaseOptions(snapshot));
  // Repurchase stage: consumables just bought (before training, or since,
  // as live events) are left out; due ones are moved up.
  repurchase_options.enabled &= as_of.has_value() && customer_row.has_value();
  const RepurchaseAdjuster repurchase(
      snapshot, customer_row.value_or(-1),
      as_of.value_or(absl::InfinitePast()), repurchase_options);
  for (int32_t item : repurchase.suppressed()) filter.Exclude(item);
  if (repurchase_options.enabled) {
    for (int32_t item : live.purchased_items) {
      if (repurchase.IsConsumable(item)) filter.Exclude(item);
    }
  }
  // Stages 3 and 4: diversity and reasons.
  auto make = [&](const ScoredItem& candidate) {
    return Recommendation{
        candidate.item, candidate.score, ReasonCode::kPersonalized,
        ExplainPersonalPick(snapshot, candidate.item, history)};
  };
  ASSIGN_OR_RETURN(
      std::vector<Recommendation> picks,
      source.searched != nullptr ||
              (source.cache != nullptr && customer_row.has_value())
          ? CollectFromCandidates(snapshot, source, query.customer_id, live,
                                  taste, query.count, query.max_per_category,
                                  filter, make)
          : SearchAndCollect(snapshot, taste, query.count,
                             query.max_per_category, filter, make));
  return ApplyRepurchaseBoosts(snapshot, repurchase, taste, filter, query,
                               std::move(picks));
}

}  // namespace

absl::StatusOr<std::vector<Recommendation>> Recommend(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live, CandidateCache* cache) {
  return RecommendWith(snapshot, SnapshotRanking(snapshot), query, live,
                       {cache, nullptr, CacheSlot(snapshot, query)});
}

absl::StatusOr<std::vector<Recommendation>> RecommendFromCandidates(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live, const std::vector<ScoredItem>& searched) {
  return RecommendWith(snapshot, SnapshotRanking(snapshot), query, live,
                       {nullptr, &searched});
}

int64_t CandidateSearchWidth(const ModelSnapshot& snapshot, int count) {
  const LearnedRanking ranking = SnapshotRanking(snapshot);
  return ranking.model != nullptr ? IalsSearchWidth(ranking.candidates, count)
                                  : UnrankedSearchWidth(count);
}

absl::StatusOr<std::vector<Recommendation>> RecommendWithRanking(
    const ModelSnapshot& snapshot, const LearnedRanking& ranking,
    const RecommendQuery& query, const LiveContext& live) {
  return RecommendWith(snapshot, ranking, query, live, {});
}

absl::StatusOr<CandidateSet> RankerCandidates(const ModelSnapshot& snapshot,
                                              const CandidateOptions& options,
                                              const RecommendQuery& query,
                                              const LiveContext& live) {
  RETURN_IF_ERROR(ValidateRecommendQuery(query));
  Stage1 stage(snapshot, query);
  PrepareStage1(snapshot, query, live, stage);
  if (stage.taste.empty()) return CandidateSet();
  return StageTwoCandidates(snapshot, options, query, live, stage);
}

absl::StatusOr<std::vector<Recommendation>> SimilarItems(
    const ModelSnapshot& snapshot, const SimilarItemsQuery& query) {
  if (query.item_id.empty()) {
    return absl::InvalidArgumentError("item_id: must not be empty");
  }
  if (absl::Status id = ValidateId(query.item_id); !id.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("item_id: ", id.message()));
  }
  RETURN_IF_ERROR(ValidateCount(query.count));
  RETURN_IF_ERROR(ValidateMaxPerCategory(query.max_per_category));
  RETURN_IF_ERROR(ValidateItemFilter(query.filter));
  const std::optional<int32_t> anchor = snapshot.FindItem(query.item_id);
  if (!anchor.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("item_id: unknown item ", Quote(query.item_id)));
  }
  BoundItemFilter filter(query.filter, snapshot);
  filter.Exclude(*anchor);
  const std::string reason =
      absl::StrCat("similar to ", snapshot.item(*anchor).title());
  return SearchAndCollect(snapshot, snapshot.item_vector(*anchor), query.count,
                          query.max_per_category, filter,
                          [&](const ScoredItem& candidate) {
                            return Recommendation{candidate.item,
                                                  candidate.score,
                                                  ReasonCode::kSimilarItem,
                                                  reason};
                          });
}

absl::StatusOr<std::vector<Recommendation>> SimilarItemsInCategory(
    const ModelSnapshot& snapshot, const NewItem& anchor,
    const SimilarItemsQuery& query) {
  RETURN_IF_ERROR(ValidateCount(query.count));
  RETURN_IF_ERROR(ValidateMaxPerCategory(query.max_per_category));
  RETURN_IF_ERROR(ValidateItemFilter(query.filter));
  BoundItemFilter filter(query.filter, snapshot);
  PickCollector collector(snapshot, filter, query.count,
                          query.max_per_category);
  std::string path = anchor.category;
  while (!path.empty() && !collector.full()) {
    const std::string reason =
        absl::StrCat("in the same category (", path, ") as ", anchor.title);
    auto offer = [&](int32_t row) {
      if (CategoryIsUnder(snapshot.item(row).category(), path)) {
        collector.Offer(
            {row, static_cast<float>(snapshot.item(row).recent_purchases()),
             ReasonCode::kSameCategory, reason});
      }
    };
    for (int32_t row : snapshot.popular_items()) {
      if (collector.full()) break;
      offer(row);
    }
    for (int32_t row = 0; row < snapshot.num_items() && !collector.full();
         ++row) {
      offer(row);
    }
    const size_t slash = path.rfind('/');
    path = slash == std::string::npos ? "" : path.substr(0, slash);
  }
  return collector.Take();
}

}  // namespace recommender
