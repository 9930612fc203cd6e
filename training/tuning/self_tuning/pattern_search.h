// Pattern search over a grid (Hooke & Jeeves 1961, "'Direct search'
// solution of numerical and statistical problems", on a lattice): from a
// start point, each dimension in turn is moved one step up or down while
// that improves the objective, then each coupled pair of dimensions is
// moved together (both up or both down) while that improves, and the sweep
// repeats until nothing moves. Every point is scored at most once. The
// coupled moves follow a ridge that single steps cannot: two settings that
// trade off against each other (iALS's confidence weight alpha and its
// regularization) can each be worse to change alone than both together. The self-tuning
// uses it where a full grid would cost too many trainings: a handful of
// influential settings, each with an ordered list of values whose
// neighbours are similar.
//
// Deterministic: the order of the trials depends only on the start point
// and the objective's values.
//
// Thread-safe: no shared state.
#ifndef TRAINING_TUNING_SELF_TUNING_PATTERN_SEARCH_H_
#define TRAINING_TUNING_SELF_TUNING_PATTERN_SEARCH_H_

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace recommender {

struct PatternSearchResult {
  // Per dimension, the index of the best value; empty if nothing was scored.
  std::vector<int> best;
  double best_objective = 0;
  int evaluations = 0;
  // False if the objective stopped the search (nullopt) before it settled.
  bool converged = false;
};

// `sizes[d]` values in dimension d; `start[d]` in [0, sizes[d]). The
// objective scores a point (higher is better) or returns nullopt to stop
// the search (e.g. the time budget is spent); the start point is scored
// first. `coupled` names pairs of dimensions (indexes into `sizes`) that
// are also moved together.
PatternSearchResult PatternSearch(
    const std::vector<int>& sizes, const std::vector<int>& start,
    const std::function<std::optional<double>(const std::vector<int>&)>& objective,
    const std::vector<std::pair<int, int>>& coupled = {});

}  // namespace recommender

#endif  // TRAINING_TUNING_SELF_TUNING_PATTERN_SEARCH_H_
