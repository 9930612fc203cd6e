#include "training/evaluation/baseline_rankers.h"

#include <algorithm>
#include <memory>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "recommender/index/top_k.h"

namespace recommender {
namespace {

bool Excluded(const RankRequest& request, int32_t item) {
  return request.excluded != nullptr && request.excluded->contains(item);
}

// Appends items of `order` not excluded or taken until `out` has `count`.
void Fill(const RankRequest& request, absl::Span<const int32_t> order,
          absl::flat_hash_set<int32_t>& taken, std::vector<int32_t>& out) {
  for (int32_t item : order) {
    if (static_cast<int>(out.size()) >= request.count) return;
    if (Excluded(request, item) || !taken.insert(item).second) continue;
    out.push_back(item);
  }
}

}  // namespace

std::vector<int32_t> ItemsByPopularity(const ShopData& train) {
  std::vector<int64_t> buyers(train.items.size(), 0);
  absl::flat_hash_set<std::pair<int32_t, int32_t>> seen;
  for (const Event& e : train.events) {
    if (e.type == EventType::kPurchase && seen.insert({e.customer, e.item}).second) {
      ++buyers[e.item];
    }
  }
  std::vector<int32_t> order(train.items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return buyers[a] > buyers[b];
  });
  return order;
}

absl::StatusOr<std::vector<int32_t>> PopularityRanker::Rank(
    const RankRequest& request) const {
  std::vector<int32_t> out;
  absl::flat_hash_set<int32_t> taken;
  Fill(request, order_, taken, out);
  return out;
}

RebuyRanker::RebuyRanker(const ShopData& train, RebuyTieBreak tie_break)
    : popular_(ItemsByPopularity(train)), history_(train.customers.size()) {
  struct Count {
    int64_t purchases = 0;
    int64_t last = 0;
  };
  // An item's place in the shop's popularity order (0: most buyers).
  std::vector<int32_t> place(popular_.size());
  for (size_t p = 0; p < popular_.size(); ++p) {
    place[popular_[p]] = static_cast<int32_t>(p);
  }
  std::vector<absl::flat_hash_map<int32_t, Count>> counts(train.customers.size());
  for (const Event& e : train.events) {
    if (e.type != EventType::kPurchase) continue;
    Count& count = counts[e.customer][e.item];
    ++count.purchases;
    count.last = std::max(count.last, e.unix_seconds);
  }
  for (size_t c = 0; c < counts.size(); ++c) {
    std::vector<std::pair<int32_t, Count>> items(counts[c].begin(), counts[c].end());
    std::sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
      if (a.second.purchases != b.second.purchases) {
        return a.second.purchases > b.second.purchases;
      }
      if (tie_break == RebuyTieBreak::kPopularity) {
        return place[a.first] < place[b.first];
      }
      if (a.second.last != b.second.last) return a.second.last > b.second.last;
      return a.first < b.first;
    });
    for (const auto& [item, count] : items) history_[c].push_back(item);
  }
}

absl::StatusOr<std::vector<int32_t>> RebuyRanker::Rank(
    const RankRequest& request) const {
  std::vector<int32_t> out;
  absl::flat_hash_set<int32_t> taken;
  Fill(request, history_[request.customer], taken, out);
  Fill(request, popular_, taken, out);
  return out;
}

absl::StatusOr<std::vector<int32_t>> ScoreRanker::Rank(
    const RankRequest& request) const {
  std::vector<float> scores(num_items_, 0.0f);
  scorer_(request.customer, absl::MakeSpan(scores));
  TopK top(request.count);
  for (int32_t item = 0; item < num_items_; ++item) {
    if (!Excluded(request, item)) top.Offer(item, scores[item]);
  }
  std::vector<int32_t> out;
  for (const ScoredItem& s : top.Take()) out.push_back(s.item);
  return out;
}

CustomerScorer IalsScorer(const IalsModel& model) {
  auto shared = std::make_shared<const IalsModel>(model);
  return [shared](int32_t customer, absl::Span<float> scores) {
    const auto user = shared->user_factors.row(customer);
    for (int64_t item = 0; item < shared->item_factors.rows(); ++item) {
      scores[item] = shared->item_factors.row(item).dot(user);
    }
  };
}

}  // namespace recommender
