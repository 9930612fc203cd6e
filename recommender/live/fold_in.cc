#include "recommender/live/fold_in.h"

#include <algorithm>
#include <utility>

#include "recommender/factorization/ials_row_solver.h"

namespace recommender {

std::vector<float> FoldIn(const ModelSnapshot& snapshot,
                          const absl::flat_hash_map<int32_t, float>& strengths) {
  const std::optional<FoldInParameters>& parameters =
      snapshot.fold_in_parameters();
  if (!parameters.has_value()) return {};
  // Sorted, so that the result does not depend on hash order.
  std::vector<std::pair<int32_t, float>> entries;
  for (const auto& [item, strength] : strengths) {
    if (strength > 0) entries.emplace_back(item, strength);
  }
  if (entries.empty()) return {};
  std::sort(entries.begin(), entries.end());
  std::vector<int32_t> items;
  std::vector<float> values;
  for (const auto& [item, strength] : entries) {
    items.push_back(item);
    values.push_back(strength);
  }
  const EmbeddingMatrix& factors = snapshot.item_factors();
  const int32_t d = factors.dimension;
  IalsRowSolver solver(
      ConstGramMap(snapshot.regularized_item_gram().data(), d, d),
      ConstFactorsMap(factors.values.data(), factors.rows, d),
      parameters->alpha);
  std::vector<float> taste(d);
  solver.Solve(items, values, taste.data());
  return taste;
}

}  // namespace recommender
