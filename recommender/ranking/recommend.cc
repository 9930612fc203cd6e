#include "recommender/ranking/recommend.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/index/top_k.h"
#include "recommender/util/status_macros.h"

namespace recommender {
namespace {

// How many of a customer's most recent distinct purchases are considered
// when explaining a pick.
constexpr int kExplanationHistory = 20;

absl::Status ValidateCount(int count) {
  if (count < 1 || count > kMaxRecommendations) {
    return absl::InvalidArgumentError(
        absl::StrCat("count: must be between 1 and ", kMaxRecommendations,
                     ", got ", count));
  }
  return absl::OkStatus();
}

float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  float sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
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

// Searches the index for `query`, widening the search until `count` items
// pass `filter`; past kMaxIndexCandidates, scans instead. Best first.
absl::StatusOr<std::vector<ScoredItem>> SearchFiltered(
    const ModelSnapshot& snapshot, absl::Span<const float> query, int count,
    const BoundItemFilter& filter) {
  const int64_t num_items = snapshot.num_items();
  int64_t k = std::min<int64_t>(num_items, 4 * count + 16);
  while (true) {
    if (k > kMaxIndexCandidates) {
      return ScanFiltered(snapshot, query, count, filter);
    }
    ASSIGN_OR_RETURN(std::vector<ScoredItem> found,
                     snapshot.index().Search(query, static_cast<int>(k)));
    std::vector<ScoredItem> accepted;
    for (const ScoredItem& candidate : found) {
      if (!filter.Accepts(candidate.item)) continue;
      accepted.push_back(candidate);
      if (static_cast<int>(accepted.size()) == count) break;
    }
    if (static_cast<int>(accepted.size()) == count || k >= num_items) {
      return accepted;
    }
    k = std::min<int64_t>(num_items, k * 4);
  }
}

// The customer's most recent distinct purchases, newest first.
std::vector<int32_t> RecentDistinctPurchases(const snapshot::Customer& customer,
                                             int limit) {
  std::vector<int32_t> items;
  absl::flat_hash_set<int32_t> seen;
  for (int i = customer.purchased_items_size() - 1;
       i >= 0 && static_cast<int>(items.size()) < limit; --i) {
    if (seen.insert(customer.purchased_items(i)).second) {
      items.push_back(customer.purchased_items(i));
    }
  }
  return items;
}

// "similar to <title> you bought", naming the past purchase nearest to the
// pick, or a generic taste reason without purchases.
std::string ExplainPersonalPick(const ModelSnapshot& snapshot, int32_t pick,
                                const std::vector<int32_t>& history) {
  int32_t nearest = -1;
  float best = -std::numeric_limits<float>::infinity();
  for (int32_t past : history) {
    const float similarity =
        Dot(snapshot.item_vector(pick), snapshot.item_vector(past));
    if (similarity > best) {
      best = similarity;
      nearest = past;
    }
  }
  if (nearest < 0) return "matches your browsing";
  return absl::StrCat("similar to ", snapshot.item(nearest).title(),
                      " you bought");
}

std::vector<Recommendation> PopularItems(const ModelSnapshot& snapshot,
                                         int count,
                                         const BoundItemFilter& filter,
                                         absl::string_view reason_text) {
  std::vector<Recommendation> picks;
  for (int32_t row : snapshot.popular_items()) {
    if (static_cast<int>(picks.size()) == count) break;
    if (!filter.Accepts(row)) continue;
    picks.push_back({row,
                     static_cast<float>(snapshot.item(row).recent_purchases()),
                     ReasonCode::kPopular, std::string(reason_text)});
  }
  return picks;
}

}  // namespace

absl::StatusOr<std::vector<Recommendation>> Recommend(
    const ModelSnapshot& snapshot, const RecommendQuery& query) {
  if (query.customer_id.empty()) {
    return absl::InvalidArgumentError("customer_id: must not be empty");
  }
  RETURN_IF_ERROR(ValidateCount(query.count));
  RETURN_IF_ERROR(ValidateItemFilter(query.filter));

  BoundItemFilter filter(query.filter, snapshot);
  const std::optional<int32_t> customer_row =
      snapshot.FindCustomer(query.customer_id);
  if (!customer_row.has_value()) {
    return PopularItems(snapshot, query.count, filter,
                        "popular in the shop (customer not known yet)");
  }
  const snapshot::Customer& customer = snapshot.customer(*customer_row);
  for (int32_t item : customer.purchased_items()) {
    if (snapshot.item(item).durability() == snapshot::DURABLE) {
      filter.Exclude(item);
    }
  }
  const absl::Span<const float> taste = snapshot.customer_vector(*customer_row);
  if (taste.empty()) {
    return PopularItems(snapshot, query.count, filter,
                        "popular in the shop (no history yet)");
  }
  ASSIGN_OR_RETURN(std::vector<ScoredItem> found,
                   SearchFiltered(snapshot, taste, query.count, filter));
  const std::vector<int32_t> history =
      RecentDistinctPurchases(customer, kExplanationHistory);
  std::vector<Recommendation> picks;
  picks.reserve(found.size());
  for (const ScoredItem& candidate : found) {
    picks.push_back({candidate.item, candidate.score,
                     ReasonCode::kPersonalized,
                     ExplainPersonalPick(snapshot, candidate.item, history)});
  }
  return picks;
}

absl::StatusOr<std::vector<Recommendation>> SimilarItems(
    const ModelSnapshot& snapshot, const SimilarItemsQuery& query) {
  if (query.item_id.empty()) {
    return absl::InvalidArgumentError("item_id: must not be empty");
  }
  RETURN_IF_ERROR(ValidateCount(query.count));
  RETURN_IF_ERROR(ValidateItemFilter(query.filter));
  const std::optional<int32_t> anchor = snapshot.FindItem(query.item_id);
  if (!anchor.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("item_id: unknown item \"", query.item_id, "\""));
  }
  BoundItemFilter filter(query.filter, snapshot);
  filter.Exclude(*anchor);
  ASSIGN_OR_RETURN(std::vector<ScoredItem> found,
                   SearchFiltered(snapshot, snapshot.item_vector(*anchor),
                                  query.count, filter));
  const std::string reason =
      absl::StrCat("similar to ", snapshot.item(*anchor).title());
  std::vector<Recommendation> picks;
  picks.reserve(found.size());
  for (const ScoredItem& candidate : found) {
    picks.push_back(
        {candidate.item, candidate.score, ReasonCode::kSimilarItem, reason});
  }
  return picks;
}

}  // namespace recommender
