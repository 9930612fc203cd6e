#include "training/durability/durability_inference.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "recommender/timing/repurchase_intervals.h"
#include "recommender/timing/special_functions.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

// Log-odds beyond this are certainty for all practical purposes.
constexpr double kMaxLogOdds = 30;

struct LabelCounts {
  int durable = 0;
  int consumable = 0;
};

// "a/b/c" -> "a/b"; "a" -> "".
absl::string_view Parent(absl::string_view category) {
  const size_t slash = category.rfind('/');
  return slash == absl::string_view::npos ? absl::string_view()
                                          : category.substr(0, slash);
}

// Labels counted at every level of each labeled item's category path.
absl::flat_hash_map<std::string, LabelCounts> CountLabels(
    const std::vector<CatalogItem>& items) {
  absl::flat_hash_map<std::string, LabelCounts> counts;
  for (const CatalogItem& item : items) {
    if (item.durability == Durability::kUnknown) continue;
    for (absl::string_view path = item.category; !path.empty();
         path = Parent(path)) {
      LabelCounts& c = counts[path];
      (item.durability == Durability::kDurable ? c.durable : c.consumable)++;
    }
  }
  return counts;
}

// log-odds of "consumable" from the labels of the nearest category level
// that has any; 0 without labels.
double CategoryLogOdds(
    const absl::flat_hash_map<std::string, LabelCounts>& counts,
    absl::string_view category) {
  for (absl::string_view path = category; !path.empty(); path = Parent(path)) {
    auto it = counts.find(path);
    if (it == counts.end()) continue;
    return std::log((it->second.consumable + 1.0) / (it->second.durable + 1.0));
  }
  return 0;
}

// log P(X >= k) and log P(X < k) for X ~ Binomial(n, p), 0 < p < 1.
void LogBinomialTails(int64_t n, int64_t k, double p, double* log_upper,
                      double* log_lower) {
  *log_upper = -INFINITY;
  *log_lower = -INFINITY;
  const double log_p = std::log(p);
  const double log_q = std::log1p(-p);
  const double log_n_factorial = LogGamma(n + 1.0);
  for (int64_t x = 0; x <= n; ++x) {
    const double log_pmf = log_n_factorial - LogGamma(x + 1.0) -
                           LogGamma(n - x + 1.0) + x * log_p + (n - x) * log_q;
    double& tail = x >= k ? *log_upper : *log_lower;
    tail = LogSumExp(tail, log_pmf);
  }
}

// log Bayes factor of "repeat share above the threshold" (consumable)
// against "below" (durable), given `stats` and a uniform prior on the share.
double PurchaseLogOdds(const RepeatPurchaseStats& stats, double threshold) {
  if (stats.buyers == 0) return 0;
  // Share ~ Beta(r + 1, n - r + 1), and P(share < t) for integer parameters
  // is P(Binomial(n + 1, t) >= r + 1).
  double log_below = 0;
  double log_above = 0;
  LogBinomialTails(stats.buyers + 1, stats.repeat_buyers + 1, threshold,
                   &log_below, &log_above);
  const double prior_log_odds = std::log((1 - threshold) / threshold);
  return (log_above - log_below) - prior_log_odds;
}

InferredDurability FromLogOdds(double consumable_log_odds) {
  const double z = std::clamp(consumable_log_odds, -kMaxLogOdds, kMaxLogOdds);
  if (std::abs(z) < 1e-9) return {};
  return {z > 0 ? Durability::kConsumable : Durability::kDurable,
          static_cast<float>(1 / (1 + std::exp(-std::abs(z))))};
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2 == 1) return values[mid];
  const double upper = values[mid];
  return (upper + *std::max_element(values.begin(), values.begin() + mid)) / 2;
}

}  // namespace

std::vector<RepeatPurchaseStats> ComputeRepeatPurchaseStats(
    int32_t num_items, absl::Span<const Event> events,
    const DurabilityInferenceOptions& options) {
  int64_t newest = 0;
  int32_t num_customers = 0;
  for (const Event& e : events) {
    newest = std::max(newest, e.unix_seconds);
    num_customers = std::max(num_customers, e.customer + 1);
  }
  std::vector<std::vector<ConsumablePurchase>> by_customer(num_customers);
  for (const Event& e : events) {
    if (e.type != EventType::kPurchase || e.item < 0 || e.item >= num_items) {
      continue;
    }
    by_customer[e.customer].push_back({e.item, e.unix_seconds, e.quantity});
  }
  // Per item: each buyer's first purchase time and re-buy flag, and gaps.
  struct Buyer {
    int64_t first = 0;
    bool repeated = false;
  };
  std::vector<std::vector<Buyer>> buyers(num_items);
  std::vector<std::vector<double>> gaps(num_items);
  for (const auto& purchases : by_customer) {
    for (const ItemHistory& history : GroupByItem(purchases, newest)) {
      const auto& list = history.purchases;
      buyers[history.item].push_back({list.front().unix_seconds, list.size() > 1});
      for (size_t k = 1; k < list.size(); ++k) {
        gaps[history.item].push_back(
            static_cast<double>(list[k].unix_seconds - list[k - 1].unix_seconds) /
            kSecondsPerDay);
      }
    }
  }
  std::vector<RepeatPurchaseStats> stats(num_items);
  for (int32_t i = 0; i < num_items; ++i) {
    RepeatPurchaseStats& s = stats[i];
    s.median_repeat_gap_days = Median(std::move(gaps[i]));
    const double window_days =
        std::max(options.min_observation_days, s.median_repeat_gap_days);
    const int64_t latest_first =
        newest - static_cast<int64_t>(window_days * kSecondsPerDay);
    for (const Buyer& buyer : buyers[i]) {
      if (buyer.first > latest_first) continue;
      ++s.buyers;
      s.repeat_buyers += buyer.repeated;
    }
  }
  return stats;
}

double RepeatShareThreshold(const std::vector<CatalogItem>& items,
                            absl::Span<const RepeatPurchaseStats> stats,
                            const DurabilityInferenceOptions& options) {
  // Per class: labeled items with buyers, buyers, repeat buyers.
  int64_t labeled[2] = {0, 0};
  double buyers[2] = {0, 0};
  double repeaters[2] = {0, 0};
  for (size_t i = 0; i < items.size() && i < stats.size(); ++i) {
    if (items[i].durability == Durability::kUnknown || stats[i].buyers == 0) {
      continue;
    }
    const int c = items[i].durability == Durability::kConsumable;
    ++labeled[c];
    buyers[c] += stats[i].buyers;
    repeaters[c] += stats[i].repeat_buyers;
  }
  if (labeled[0] < options.min_labeled_items ||
      labeled[1] < options.min_labeled_items) {
    return options.default_repeat_share_threshold;
  }
  // Shares with half a pseudo-count each way, so neither is 0 or 1.
  const double durable = (repeaters[0] + 0.5) / (buyers[0] + 1);
  const double consumable = (repeaters[1] + 0.5) / (buyers[1] + 1);
  if (!(consumable > durable)) return options.default_repeat_share_threshold;
  return std::sqrt(durable * consumable);
}

std::vector<InferredDurability> InferDurability(
    const std::vector<CatalogItem>& items, absl::Span<const Event> events,
    const DurabilityInferenceOptions& options) {
  const auto counts = CountLabels(items);
  const std::vector<RepeatPurchaseStats> stats = ComputeRepeatPurchaseStats(
      static_cast<int32_t>(items.size()), events, options);
  const double threshold = RepeatShareThreshold(items, stats, options);
  std::vector<InferredDurability> result(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].durability != Durability::kUnknown) {
      result[i] = {items[i].durability, 1.0f};
      continue;
    }
    result[i] = FromLogOdds(CategoryLogOdds(counts, items[i].category) +
                            PurchaseLogOdds(stats[i], threshold));
  }
  return result;
}

std::vector<InferredDurability> InferDurabilityByCategory(
    const std::vector<CatalogItem>& items) {
  return InferDurability(items, {});
}

}  // namespace recommender
