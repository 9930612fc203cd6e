#include "recommender/ranking/candidate_features.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "recommender/index/top_k.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

// Past this many index candidates the accepted items are scanned instead.
constexpr int64_t kMaxIndexCandidates = 4096;

float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  float sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// Dot(taste, vector of item) for every item of `items`, each summed as Dot
// sums: in dimension order, one fused multiply-add per step (the build
// contracts Dot's loop into FMAs), so the same floats. Eight items at a
// time, whose eight independent chains the CPU overlaps (one chain waits
// on each add in turn).
std::vector<float> TasteScores(const ModelSnapshot& snapshot,
                               absl::Span<const float> taste,
                               const std::vector<int32_t>& items) {
  std::vector<float> scores(items.size());
  size_t c = 0;
  // Named sums, not an array, so that they stay in registers.
  for (; c + 8 <= items.size(); c += 8) {
    const float* v0 = snapshot.item_vector(items[c]).data();
    const float* v1 = snapshot.item_vector(items[c + 1]).data();
    const float* v2 = snapshot.item_vector(items[c + 2]).data();
    const float* v3 = snapshot.item_vector(items[c + 3]).data();
    const float* v4 = snapshot.item_vector(items[c + 4]).data();
    const float* v5 = snapshot.item_vector(items[c + 5]).data();
    const float* v6 = snapshot.item_vector(items[c + 6]).data();
    const float* v7 = snapshot.item_vector(items[c + 7]).data();
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    // The rows of one matrix: all of one length.
    const size_t dimension =
        std::min(taste.size(), snapshot.item_vector(items[c]).size());
    for (size_t d = 0; d < dimension; ++d) {
      const float t = taste[d];
      s0 = std::fma(t, v0[d], s0);
      s1 = std::fma(t, v1[d], s1);
      s2 = std::fma(t, v2[d], s2);
      s3 = std::fma(t, v3[d], s3);
      s4 = std::fma(t, v4[d], s4);
      s5 = std::fma(t, v5[d], s5);
      s6 = std::fma(t, v6[d], s6);
      s7 = std::fma(t, v7[d], s7);
    }
    scores[c] = s0;
    scores[c + 1] = s1;
    scores[c + 2] = s2;
    scores[c + 3] = s3;
    scores[c + 4] = s4;
    scores[c + 5] = s5;
    scores[c + 6] = s6;
    scores[c + 7] = s7;
  }
  for (; c < items.size(); ++c) {
    const absl::Span<const float> v = snapshot.item_vector(items[c]);
    float sum = 0;
    for (size_t d = 0; d < taste.size() && d < v.size(); ++d) {
      sum = std::fma(taste[d], v[d], sum);
    }
    scores[c] = sum;
  }
  return scores;
}

// What the customer did with one item up to as_of.
struct ItemActivity {
  int32_t purchases = 0;
  int64_t last_purchase = kNever;
  int32_t touches = 0;
  int32_t carts = 0;
  int64_t last_touch = kNever;
};

struct CustomerHistory {
  absl::flat_hash_map<int32_t, ItemActivity> items;
  // Touched items, newest first, distinct.
  std::vector<int32_t> touched_newest_first;
  int32_t purchases = 0;
  int32_t distinct_purchased = 0;
  int32_t touches = 0;
  int64_t last_event = kNever;
  float median_unit_price = kMissing;
  absl::flat_hash_map<std::string, int32_t> category_counts;
  int32_t category_total = 0;
};

CustomerHistory GatherHistory(const ModelSnapshot& snapshot,
                              const CandidateRequest& request) {
  CustomerHistory history;
  const int64_t now = absl::ToUnixSeconds(request.as_of);
  std::vector<float> prices;
  absl::flat_hash_set<int32_t> listed;
  auto count_category = [&](int32_t item) {
    const std::string& category = snapshot.item(item).category();
    if (category.empty()) return;
    ++history.category_counts[category];
    ++history.category_total;
  };
  auto add_purchase = [&](int32_t item, int64_t time, float price) {
    ItemActivity& h = history.items[item];
    ++h.purchases;
    h.last_purchase = std::max(h.last_purchase, time);
    ++history.purchases;
    history.last_event = std::max(history.last_event, time);
    if (price > 0) prices.push_back(price);
    count_category(item);
  };
  auto add_touch = [&](int32_t item, int64_t time, bool cart) {
    ItemActivity& h = history.items[item];
    ++h.touches;
    h.carts += cart;
    h.last_touch = std::max(h.last_touch, time);
    ++history.touches;
    history.last_event = std::max(history.last_event, time);
    count_category(item);
  };
  if (request.live != nullptr) {
    for (const RecentItem& recent : request.live->recent_items) {
      if (recent.type == EventType::kPurchase) continue;
      add_touch(recent.item, now, recent.type == EventType::kCart);
      if (listed.insert(recent.item).second) {
        history.touched_newest_first.push_back(recent.item);
      }
    }
    for (int32_t item : request.live->purchased_items) {
      add_purchase(item, now, static_cast<float>(snapshot.item(item).price()));
    }
  }
  if (request.customer_row.has_value()) {
    const snapshot::Customer& customer =
        snapshot.customer(*request.customer_row);
    for (int i = 0; i < customer.purchased_items_size(); ++i) {
      if (customer.purchase_times(i) > now) continue;
      const int32_t item = customer.purchased_items(i);
      add_purchase(item, customer.purchase_times(i),
                   customer.purchase_unit_prices_size() > i
                       ? customer.purchase_unit_prices(i)
                       : static_cast<float>(snapshot.item(item).price()));
    }
    for (int i = customer.touched_items_size() - 1; i >= 0; --i) {
      if (customer.touch_times(i) > now) continue;
      const int32_t item = customer.touched_items(i);
      add_touch(item, customer.touch_times(i), customer.touch_kinds(i) == 2);
      if (listed.insert(item).second)
        history.touched_newest_first.push_back(item);
    }
  }
  for (const auto& [item, h] : history.items) {
    history.distinct_purchased += h.purchases > 0;
  }
  if (!prices.empty()) {
    auto middle = prices.begin() + prices.size() / 2;
    std::nth_element(prices.begin(), middle, prices.end());
    history.median_unit_price = *middle;
  }
  return history;
}

// Up to `n` accepted items of `order`, in that order.
std::vector<int32_t> FirstAccepted(absl::Span<const int32_t> order, int n,
                                   const BoundItemFilter& filter) {
  std::vector<int32_t> out;
  for (int32_t item : order) {
    if (static_cast<int>(out.size()) >= n) break;
    if (filter.Accepts(item)) out.push_back(item);
  }
  return out;
}

// The `n` accepted items nearest to `taste`, best first: from `searched`
// (if given) when it holds enough of them, else the index searched ever
// wider, or a scan of the accepted items past kMaxIndexCandidates.
absl::StatusOr<std::vector<int32_t>> NearestAccepted(
    const ModelSnapshot& snapshot, absl::Span<const float> taste, int n,
    const BoundItemFilter& filter, const std::vector<ScoredItem>* searched) {
  const int64_t num_items = snapshot.num_items();
  if (searched != nullptr) {
    std::vector<int32_t> out;
    for (const ScoredItem& s : *searched) {
      if (static_cast<int>(out.size()) >= n) break;
      if (filter.Accepts(s.item)) out.push_back(s.item);
    }
    if (static_cast<int>(out.size()) >= n ||
        static_cast<int64_t>(searched->size()) >= num_items) {
      return out;
    }
  }
  int64_t k = std::min<int64_t>(num_items, 2 * int64_t{n} + 16);
  while (true) {
    std::vector<int32_t> out;
    if (k > kMaxIndexCandidates) {
      TopK top(n);
      for (int32_t row = 0; row < num_items; ++row) {
        if (filter.Accepts(row))
          top.Offer(row, Dot(snapshot.item_vector(row), taste));
      }
      for (const ScoredItem& s : top.Take()) out.push_back(s.item);
      return out;
    }
    ASSIGN_OR_RETURN(std::vector<ScoredItem> found,
                     snapshot.index().Search(taste, static_cast<int>(k)));
    for (const ScoredItem& s : found) {
      if (static_cast<int>(out.size()) >= n) break;
      if (filter.Accepts(s.item)) out.push_back(s.item);
    }
    if (static_cast<int>(out.size()) >= n || k >= num_items) return out;
    k = std::min<int64_t>(num_items, k * 4);
  }
}

// Catalogs up to this many items sum neighbour weights in arrays of the
// catalog's size kept per thread (5 bytes per item and list); larger ones
// in a hash map per request.
constexpr int32_t kMaxDenseItems = 1 << 18;

// Per-thread arrays for WeightSums: reset after each use through the items
// reached, so that a request costs what it reaches, not the catalog.
struct DenseSums {
  std::vector<float> sums;
  std::vector<uint8_t> reached;
};

// The sum of the neighbour weights of every item reachable from a history
// through one neighbour list. Not thread-safe; one per list and request.
class WeightSums {
 public:
  // `dense`: the thread's arrays (not owned; at least `num_items` long
  // after the call), or null for a hash map.
  WeightSums(DenseSums* dense, int32_t num_items) : dense_(dense) {
    if (dense_ != nullptr &&
        static_cast<int32_t>(dense_->sums.size()) < num_items) {
      dense_->sums.resize(num_items, 0.0f);
      dense_->reached.resize(num_items, 0);
    }
  }
  ~WeightSums() {
    if (dense_ == nullptr) return;
    for (int32_t item : reached_) {
      dense_->sums[item] = 0.0f;
      dense_->reached[item] = 0;
    }
  }
  WeightSums(const WeightSums&) = delete;
  WeightSums& operator=(const WeightSums&) = delete;

  // Adds every history item's neighbours in `list` (each history item
  // once), in the order given: the sums do not depend on the storage.
  void AddNeighbors(const snapshot::ItemNeighborList& list,
                    const std::vector<int32_t>& history_items) {
    const int32_t* neighbors = list.neighbors().data();
    const float* weights = list.weights().data();
    if (dense_ == nullptr) {
      int64_t edges = 0;
      for (int32_t item : history_items) {
        edges += list.offsets(item + 1) - list.offsets(item);
      }
      map_.reserve(map_.size() + edges);
    }
    for (int32_t item : history_items) {
      const int64_t begin = list.offsets(item);
      const int64_t end = list.offsets(item + 1);
      if (dense_ == nullptr) {
        for (int64_t k = begin; k < end; ++k) {
          auto [it, added] = map_.try_emplace(neighbors[k], 0.0f);
          if (added) reached_.push_back(neighbors[k]);
          it->second += weights[k];
        }
        continue;
      }
      // Local pointers: the stores below cannot move them.
      float* const sums = dense_->sums.data();
      uint8_t* const reached = dense_->reached.data();
      for (int64_t k = begin; k < end; ++k) {
        const int32_t neighbor = neighbors[k];
        if (!reached[neighbor]) {
          reached[neighbor] = 1;
          reached_.push_back(neighbor);
        }
        sums[neighbor] += weights[k];
      }
    }
  }

  // The items reached with their sums, in the order first reached.
  std::vector<ScoredItem> ReachedSums() const {
    std::vector<ScoredItem> out(reached_.size());
    if (dense_ != nullptr) {
      const float* const sums = dense_->sums.data();
      for (size_t i = 0; i < reached_.size(); ++i) {
        out[i] = {reached_[i], sums[reached_[i]]};
      }
    } else {
      for (size_t i = 0; i < reached_.size(); ++i) {
        out[i] = {reached_[i], map_.at(reached_[i])};
      }
    }
    return out;
  }

  // The item's sum; 0 if not reached.
  float sum(int32_t item) const {
    if (dense_ != nullptr) return dense_->sums[item];
    const auto it = map_.find(item);
    return it == map_.end() ? 0.0f : it->second;
  }

 private:
  DenseSums* const dense_;
  std::vector<int32_t> reached_;
  absl::flat_hash_map<int32_t, float> map_;
};

// The thread's arrays for list `which` (0 or 1), or null past
// kMaxDenseItems.
DenseSums* ThreadDenseSums(int which, int32_t num_items) {
  thread_local DenseSums sums[2];
  return num_items <= kMaxDenseItems ? &sums[which] : nullptr;
}

// The `n` best accepted items reached in `sums`: highest sum first, ties
// by the lower row (the order TopK keeps). The best are put in order
// first and the filter asked only about those, widening until `n` pass:
// most reached items are never asked about.
std::vector<int32_t> BestAccepted(const WeightSums& sums, int n,
                                  const BoundItemFilter& filter) {
  std::vector<ScoredItem> reached = sums.ReachedSums();
  auto better = [](const ScoredItem& a, const ScoredItem& b) {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
  };
  std::vector<int32_t> out;
  size_t ordered = 0;  // reached[0, ordered) is sorted and was filtered.
  size_t wanted = static_cast<size_t>(std::max(n, 0)) + 8;
  while (static_cast<int>(out.size()) < n && ordered < reached.size()) {
    const size_t end = std::min(reached.size(), std::max(wanted, ordered + 1));
    if (end < reached.size()) {
      std::nth_element(reached.begin() + ordered, reached.begin() + end,
                       reached.end(), better);
    }
    std::sort(reached.begin() + ordered, reached.begin() + end, better);
    for (; ordered < end && static_cast<int>(out.size()) < n; ++ordered) {
      if (filter.Accepts(reached[ordered].item)) {
        out.push_back(reached[ordered].item);
      }
    }
    wanted = 2 * end;
  }
  return out;
}

// The customer's purchased items: most bought first, then the most buyers,
// then the newest purchase, then the lower row.
std::vector<int32_t> RebuyOrder(const ModelSnapshot& snapshot,
                                const CustomerHistory& history) {
  std::vector<int32_t> items;
  for (const auto& [item, h] : history.items) {
    if (h.purchases > 0) items.push_back(item);
  }
  std::sort(items.begin(), items.end(), [&](int32_t a, int32_t b) {
    const ItemActivity& ha = history.items.at(a);
    const ItemActivity& hb = history.items.at(b);
    if (ha.purchases != hb.purchases) return ha.purchases > hb.purchases;
    const int32_t ba = snapshot.item(a).buyers();
    const int32_t bb = snapshot.item(b).buyers();
    if (ba != bb) return ba > bb;
    if (ha.last_purchase != hb.last_purchase) {
      return ha.last_purchase > hb.last_purchase;
    }
    return a < b;
  });
  return items;
}

float DaysSince(int64_t then, int64_t now) {
  if (then == kNever) return kMissing;
  return static_cast<float>(static_cast<double>(now - then) / kSecondsPerDay);
}

}  // namespace

CandidateOptions SnapshotCandidateOptions(const ModelSnapshot& snapshot) {
  CandidateOptions options;
  const snapshot::RankerInfo& info = snapshot.manifest().ranker();
  if (info.candidates_per_source() > 0) {
    options.per_source = info.candidates_per_source();
  }
  if (info.horizon_days() > 0) options.horizon_days = info.horizon_days();
  return options;
}

int64_t IalsSearchWidth(const CandidateOptions& options, int count) {
  return 2 * int64_t{std::max(options.per_source, count)} + 16;
}

absl::StatusOr<CandidateSet> GenerateCandidates(
    const ModelSnapshot& snapshot, const CandidateRequest& request,
    const BoundItemFilter& filter, const CandidateOptions& options) {
  const int n = std::max(options.per_source, request.count);
  const int64_t now = absl::ToUnixSeconds(request.as_of);
  const CustomerHistory history = GatherHistory(snapshot, request);

  // Each source's list, in CandidateSource order.
  constexpr int kSources = 6;
  std::vector<int32_t> lists[kSources];
  if (!request.taste.empty()) {
    ASSIGN_OR_RETURN(lists[0], NearestAccepted(snapshot, request.taste, n,
                                               filter, request.searched));
  }
  std::vector<int32_t> history_items;
  for (const auto& [item, h] : history.items) history_items.push_back(item);
  if (request.customer_row.has_value()) {
    for (int32_t item :
         snapshot.customer(*request.customer_row).interaction_items()) {
      history_items.push_back(item);
    }
  }
  std::sort(history_items.begin(), history_items.end());
  history_items.erase(std::unique(history_items.begin(), history_items.end()),
                      history_items.end());
  const snapshot::ItemNeighborList* knn_list = snapshot.similarity("item_knn");
  const snapshot::ItemNeighborList* ease_list = snapshot.similarity("ease");
  WeightSums knn_scores(ThreadDenseSums(0, snapshot.num_items()),
                        snapshot.num_items());
  WeightSums ease_scores(ThreadDenseSums(1, snapshot.num_items()),
                         snapshot.num_items());
  if (knn_list != nullptr) {
    knn_scores.AddNeighbors(*knn_list, history_items);
    lists[1] = BestAccepted(knn_scores, n, filter);
  }
  if (ease_list != nullptr) {
    ease_scores.AddNeighbors(*ease_list, history_items);
    lists[2] = BestAccepted(ease_scores, n, filter);
  }
  lists[3] = FirstAccepted(RebuyOrder(snapshot, history), n, filter);
  lists[4] = FirstAccepted(history.touched_newest_first, n, filter);
  lists[5] = FirstAccepted(snapshot.popular_items(), n, filter);

  CandidateSet set;
  // Per candidate, its 1-based rank in each source (0: not proposed).
  std::vector<std::array<int32_t, kSources>> ranks;
  absl::flat_hash_map<int32_t, size_t> position;
  for (int source = 0; source < kSources; ++source) {
    for (size_t r = 0; r < lists[source].size(); ++r) {
      const int32_t item = lists[source][r];
      auto [it, added] = position.emplace(item, set.items.size());
      if (added) {
        set.items.push_back(item);
        set.best_source.push_back(static_cast<CandidateSource>(source));
        ranks.push_back({});
      } else {
        const int32_t best =
            ranks[it->second][static_cast<int>(set.best_source[it->second])];
        if (static_cast<int32_t>(r + 1) < best) {
          set.best_source[it->second] = static_cast<CandidateSource>(source);
        }
      }
      ranks[it->second][source] = static_cast<int32_t>(r + 1);
    }
  }

  if (request.customer_row.has_value()) {
    for (ConsumableForecast& f :
         ForecastConsumables(snapshot, *request.customer_row, request.as_of,
                             options.horizon_days, options.status)) {
      const int32_t item = f.item;
      set.forecasts.emplace(item, std::move(f));
    }
  }

  auto rank_or_missing = [](int32_t rank) {
    return rank > 0 ? static_cast<float>(rank) : kMissing;
  };
  const std::vector<float> taste_scores =
      request.taste.empty() ? std::vector<float>()
                            : TasteScores(snapshot, request.taste, set.items);
  set.features.assign(set.items.size() * kNumRankingFeatures, kMissing);
  for (size_t c = 0; c < set.items.size(); ++c) {
    const int32_t item = set.items[c];
    const snapshot::Item& meta = snapshot.item(item);
    float* row = &set.features[c * kNumRankingFeatures];
    if (!request.taste.empty()) {
      row[kIalsScore] = taste_scores[c];
    }
    row[kIalsRank] = rank_or_missing(ranks[c][0]);
    if (knn_list != nullptr) row[kKnnScore] = knn_scores.sum(item);
    row[kKnnRank] = rank_or_missing(ranks[c][1]);
    if (ease_list != nullptr) row[kEaseScore] = ease_scores.sum(item);
    row[kEaseRank] = rank_or_missing(ranks[c][2]);
    row[kRebuyRank] = rank_or_missing(ranks[c][3]);
    row[kTouchRank] = rank_or_missing(ranks[c][4]);
    row[kPopularityRank] = rank_or_missing(ranks[c][5]);

    const auto h = history.items.find(item);
    const ItemActivity empty;
    const ItemActivity& mine = h == history.items.end() ? empty : h->second;
    row[kPurchaseCount] = static_cast<float>(mine.purchases);
    if (history.purchases > 0) {
      row[kPurchaseShare] = static_cast<float>(mine.purchases) /
                            static_cast<float>(history.purchases);
    }
    row[kDaysSincePurchase] = DaysSince(mine.last_purchase, now);
    row[kTouchCount] = static_cast<float>(mine.touches);
    row[kCartCount] = static_cast<float>(mine.carts);
    row[kDaysSinceTouch] = DaysSince(mine.last_touch, now);
    if (const auto f = set.forecasts.find(item); f != set.forecasts.end()) {
      row[kRepurchaseProbability] =
          static_cast<float>(f->second.probability_within_horizon);
      const double typical = f->second.interval.TypicalDays();
      if (typical > 0) {
        row[kIntervalRatio] =
            static_cast<float>(f->second.interval.elapsed_days / typical);
      }
    }
    if (history.median_unit_price > 0) {
      row[kPriceRatio] =
          static_cast<float>(meta.price()) / history.median_unit_price;
    }
    if (!meta.category().empty() && history.category_total > 0) {
      const auto count = history.category_counts.find(meta.category());
      row[kCategoryAffinity] =
          count == history.category_counts.end()
              ? 0.0f
              : static_cast<float>(count->second) /
                    static_cast<float>(history.category_total);
    }
    row[kRecentPurchases] = static_cast<float>(meta.recent_purchases());
    row[kPopularityTrend] = static_cast<float>(meta.recent_purchases() + 1) /
                            static_cast<float>(meta.previous_purchases() + 1);
    row[kBuyers] = static_cast<float>(meta.buyers());
    row[kIsDurable] = meta.durability() == snapshot::DURABLE ? 1.0f : 0.0f;
    row[kIsConsumable] =
        meta.durability() == snapshot::CONSUMABLE ? 1.0f : 0.0f;
    row[kDurabilityConfidence] = meta.durability_confidence();
    row[kLogPrice] =
        static_cast<float>(std::log1p(std::max(0.0, meta.price())));
    row[kCustomerPurchases] = static_cast<float>(history.purchases);
    row[kCustomerDistinctItems] =
        static_cast<float>(history.distinct_purchased);
    row[kCustomerTouches] = static_cast<float>(history.touches);
    row[kCustomerDaysSinceLastEvent] = DaysSince(history.last_event, now);
    row[kExcludesPurchased] = request.excludes_purchased ? 1.0f : 0.0f;
  }
  return set;
}

}  // namespace recommender
