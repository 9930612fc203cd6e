#include "recommender/ranking/repurchase_adjuster.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"

namespace recommender {
namespace {

float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  float sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

RepurchaseRankingOptions SnapshotRepurchaseOptions(const ModelSnapshot& snapshot) {
  RepurchaseRankingOptions options;
  const auto& parameters = snapshot.manifest().parameters();
  auto number = [&](const char* name, double* value) {
    const auto it = parameters.find(name);
    double parsed;
    if (it != parameters.end() && absl::SimpleAtod(it->second, &parsed) &&
        std::isfinite(parsed) && parsed >= 0) {
      *value = parsed;
    }
  };
  number("repurchase_suppress_before_fraction", &options.suppress_before_fraction);
  number("repurchase_boost_window_days", &options.boost_window_days);
  number("repurchase_boost_weight", &options.boost_weight);
  number("repurchase_due_soon_days", &options.status.due_soon_days);
  if (const auto it = parameters.find("repurchase_boost_not_yet_due");
      it != parameters.end()) {
    bool parsed;
    if (absl::SimpleAtob(it->second, &parsed)) options.boost_not_yet_due = parsed;
  }
  if (!(options.boost_window_days > 0)) options.boost_window_days = 7;
  return options;
}

RepurchaseAdjuster::RepurchaseAdjuster(const ModelSnapshot& snapshot,
                                       int32_t customer_row, absl::Time as_of,
                                       const RepurchaseRankingOptions& options)
    : snapshot_(snapshot), options_(options) {
  if (!options.enabled) return;
  for (ConsumableForecast& f :
       ForecastConsumables(snapshot, customer_row, as_of,
                           options.boost_window_days, options.status)) {
    if (f.status == RepurchaseStatus::kLapsed) continue;
    // Due first: a short-cycle consumable can be both recently bought
    // and due within the window, and then it is wanted, not stocked.
    const bool due = f.status == RepurchaseStatus::kDueSoon ||
                     f.status == RepurchaseStatus::kOverdue;
    if (!due && f.interval.elapsed_days <
                    options.suppress_before_fraction * f.interval.TypicalDays()) {
      suppressed_.push_back(f.item);
    } else if (due || options.boost_not_yet_due) {
      boosts_.push_back({f.item, f.probability_within_horizon, due,
                         std::move(f.explanation)});
    }
  }
}

bool RepurchaseAdjuster::IsConsumable(int32_t item) const {
  const snapshot::RepurchaseModel& model = snapshot_.timing().repurchase();
  return item >= 0 && item < model.items_size() &&
         model.items(item).consumable();
}

std::vector<RepurchaseAdjuster::Pick> RepurchaseAdjuster::Rerank(
    absl::Span<const float> taste, const BoundItemFilter& filter, int count,
    absl::Span<const ScoredItem> candidates) const {
  std::vector<Pick> picks;
  absl::flat_hash_map<int32_t, size_t> position;
  for (const ScoredItem& c : candidates) {
    position.emplace(c.item, picks.size());
    picks.push_back({c.item, c.score, false, false, ""});
  }
  // The boost's unit: the best taste score (scores are comparable only
  // within one response).
  float scale = 0;
  for (const Pick& p : picks) scale = std::max(scale, std::abs(p.score));
  if (scale == 0) scale = 1;
  for (const Boost& boost : boosts_) {
    auto it = position.find(boost.item);
    if (it == position.end()) {
      if (!filter.Accepts(boost.item)) continue;
      it = position.emplace(boost.item, picks.size()).first;
      picks.push_back({boost.item,
                       Dot(taste, snapshot_.item_vector(boost.item)), false, false,
                       ""});
    }
    Pick& pick = picks[it->second];
    pick.score += static_cast<float>(options_.boost_weight *
                                     boost.probability * scale);
    pick.boosted = true;
    pick.due = boost.due;
    pick.explanation = boost.explanation;
  }
  std::stable_sort(picks.begin(), picks.end(),
                   [](const Pick& a, const Pick& b) { return a.score > b.score; });
  if (static_cast<int>(picks.size()) > count) picks.resize(count);
  return picks;
}

}  // namespace recommender
