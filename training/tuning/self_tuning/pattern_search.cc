#include "training/tuning/self_tuning/pattern_search.h"

#include <map>

namespace recommender {

PatternSearchResult PatternSearch(
    const std::vector<int>& sizes, const std::vector<int>& start,
    const std::function<std::optional<double>(const std::vector<int>&)>& objective,
    const std::vector<std::pair<int, int>>& coupled) {
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
  // `best` moved by `step` along the dimensions `dims`; false if that
  // leaves the grid.
  auto shifted = [&](const std::vector<int>& dims, int step,
                     std::vector<int>& point) {
    point = best;
    for (int d : dims) {
      point[d] += step;
      if (point[d] < 0 || point[d] >= sizes[d]) return false;
    }
    return true;
  };
  // Probes both directions along `dims`, then keeps going the better way
  // while it pays; true if `best` moved.
  auto explore = [&](const std::vector<int>& dims) {
    int direction = 0;
    std::vector<int> point;
    for (int step : {-1, +1}) {
      if (!shifted(dims, step, point)) continue;
      const std::optional<double> value = score(point);
      if (value.has_value() && *value > best_value) {
        best_value = *value;
        best = point;
        direction = step;
      }
    }
    while (direction != 0 && !stopped && shifted(dims, direction, point)) {
      const std::optional<double> value = score(point);
      if (!value.has_value() || !(*value > best_value)) break;
      best_value = *value;
      best = point;
    }
    return direction != 0;
  };
  bool moved = true;
  while (moved && !stopped) {
    moved = false;
    for (size_t d = 0; d < sizes.size() && !stopped; ++d) {
      moved |= explore({static_cast<int>(d)});
    }
    for (const auto& [a, b] : coupled) {
      if (stopped) break;
      moved |= explore({a, b});
    }
  }
  result.best = best;
  result.best_objective = best_value;
  result.converged = !stopped;
  return result;
}

}  // namespace recommender
