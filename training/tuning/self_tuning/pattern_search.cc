#include "training/tuning/self_tuning/pattern_search.h"

#include <map>

namespace recommender {

PatternSearchResult PatternSearch(
    const std::vector<int>& sizes, const std::vector<int>& start,
    const std::function<std::optional<double>(const std::vector<int>&)>& objective) {
  PatternSearchResult result;
  std::map<std::vector<int>, double> scored;
  bool stopped = false;
  // The objective at `point`, scoring it if new; nullopt once stopped.
  auto score = [&](const std::vector<int>& point) -> std::optional<double> {
    if (const auto it = scored.find(point); it != scored.end()) return it->second;
    if (stopped) return std::nullopt;
    const std::optional<double> value = objective(point);
    if (!value.has_value()) {
      stopped = true;
      return std::nullopt;
    }
    ++result.evaluations;
    scored.emplace(point, *value);
    return value;
  };
  std::vector<int> best = start;
  const std::optional<double> first = score(best);
  if (!first.has_value()) return result;
  double best_value = *first;
  bool moved = true;
  while (moved && !stopped) {
    moved = false;
    for (size_t d = 0; d < sizes.size() && !stopped; ++d) {
      // Probe both neighbours, then keep going the better way while it pays.
      int direction = 0;
      for (int step : {-1, +1}) {
        std::vector<int> point = best;
        point[d] += step;
        if (point[d] < 0 || point[d] >= sizes[d]) continue;
        const std::optional<double> value = score(point);
        if (value.has_value() && *value > best_value) {
          best_value = *value;
          best = point;
          direction = step;
        }
      }
      while (direction != 0 && !stopped) {
        std::vector<int> point = best;
        point[d] += direction;
        if (point[d] < 0 || point[d] >= sizes[d]) break;
        const std::optional<double> value = score(point);
        if (!value.has_value() || !(*value > best_value)) break;
        best_value = *value;
        best = point;
      }
      moved |= direction != 0;
    }
  }
  result.best = best;
  result.best_objective = best_value;
  result.converged = !stopped;
  return result;
}

}  // namespace recommender
