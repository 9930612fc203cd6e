#include "training/evaluation/protocol/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

double Discount(int rank) { return 1.0 / std::log2(rank + 1.0); }

}  // namespace

RankingMetrics::RankingMetrics(std::vector<int> ks, int32_t num_items)
    : ks_(std::move(ks)), num_items_(num_items), at_(ks_.size()) {}

void RankingMetrics::Add(const RankedCase& c) {
  ++customers_;
  const absl::flat_hash_set<int32_t> relevant(c.relevant.begin(),
                                              c.relevant.end());
  int64_t relevant_repeat = 0;
  if (c.bought_before != nullptr) {
    has_bought_before_ = true;
    for (int32_t item : relevant) relevant_repeat += c.bought_before->contains(item);
  }
  const int64_t relevant_new =
      static_cast<int64_t>(relevant.size()) - relevant_repeat;
  if (c.bought_before != nullptr) {
    customers_with_repeat_ += relevant_repeat > 0;
    customers_with_new_ += relevant_new > 0;
  }
  has_owned_durables_ |= c.owned_durables != nullptr;
  const double n = static_cast<double>(relevant.size());
  for (size_t j = 0; j < ks_.size(); ++j) {
    const int k = ks_[j];
    AtK& at = at_[j];
    const int listed = std::min<int>(k, static_cast<int>(c.ranked.size()));
    int hits = 0, hits_repeat = 0;
    double dcg = 0, average_precision = 0;
    for (int r = 0; r < listed; ++r) {
      const int32_t item = c.ranked[r];
      at.covered.insert(item);
      const bool before =
          c.bought_before != nullptr && c.bought_before->contains(item);
      at.repeats += before;
      if (c.owned_durables != nullptr && c.owned_durables->contains(item)) {
        ++at.violations;
      }
      if (!relevant.contains(item)) continue;
      ++hits;
      hits_repeat += before;
      dcg += Discount(r + 1);
      average_precision += static_cast<double>(hits) / (r + 1);
    }
    double ideal = 0;
    for (int r = 1; r <= std::min<int>(k, static_cast<int>(n)); ++r) {
      ideal += Discount(r);
    }
    at.listed += listed;
    at.precision += static_cast<double>(hits) / k;
    at.recall += hits / n;
    at.ndcg += ideal > 0 ? dcg / ideal : 0;
    at.customer_ndcg.push_back(ideal > 0 ? dcg / ideal : 0);
    at.map += average_precision / n;
    at.hits += hits > 0;
    if (relevant_repeat > 0) {
      at.recall_repeat += static_cast<double>(hits_repeat) / relevant_repeat;
    }
    if (relevant_new > 0 && c.bought_before != nullptr) {
      at.recall_new += static_cast<double>(hits - hits_repeat) / relevant_new;
    }
  }
}

int64_t RankingMetrics::owned_durable_violations(int k) const {
  for (size_t j = 0; j < ks_.size(); ++j) {
    if (ks_[j] == k) return at_[j].violations;
  }
  return 0;
}

std::map<std::string, double> RankingMetrics::Values() const {
  std::map<std::string, double> values;
  const double customers = std::max<int64_t>(customers_, 1);
  auto share = [](double part, double whole) {
    return whole > 0 ? part / whole : 0.0;
  };
  for (size_t j = 0; j < ks_.size(); ++j) {
    const AtK& at = at_[j];
    const std::string k = absl::StrCat("@", ks_[j]);
    values["precision" + k] = at.precision / customers;
    values["recall" + k] = at.recall / customers;
    values["ndcg" + k] = at.ndcg / customers;
    values["map" + k] = at.map / customers;
    values["hit_rate" + k] = at.hits / customers;
    values["coverage" + k] =
        share(static_cast<double>(at.covered.size()), num_items_);
    if (has_owned_durables_) {
      values["owned_durable_violation_rate" + k] =
          share(static_cast<double>(at.violations), at.listed);
    }
    if (has_bought_before_) {
      values["repeat_share" + k] =
          share(static_cast<double>(at.repeats), at.listed);
      values["recall_repeat" + k] =
          share(at.recall_repeat, customers_with_repeat_);
      values["recall_new" + k] = share(at.recall_new, customers_with_new_);
    }
  }
  return values;
}

double RankingMetrics::Value(const std::string& name) const {
  const std::map<std::string, double> values = Values();
  const auto it = values.find(name);
  return it == values.end() ? 0 : it->second;
}

const std::vector<double>& RankingMetrics::CustomerNdcg(int k) const {
  static const std::vector<double>* const kNone = new std::vector<double>();
  for (size_t i = 0; i < ks_.size(); ++i) {
    if (ks_[i] == k) return at_[i].customer_ndcg;
  }
  return *kNone;
}

}  // namespace recommender
