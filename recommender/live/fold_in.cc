#include "recommender/live/fold_in.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "recommender/factorization/ials_row_solver.h"

namespace recommender {
namespace {

// The trainer's strength of `sum` summed weights.
float Strength(double sum, const FoldInParameters& parameters) {
  if (parameters.log_strength_epsilon <= 0) return static_cast<float>(sum);
  return static_cast<float>(std::log1p(sum / parameters.log_strength_epsilon));
}

// Inverse of Strength: the summed weights behind a strength.
double SummedWeights(float strength, const FoldInParameters& parameters) {
  if (parameters.log_strength_epsilon <= 0) return strength;
  return parameters.log_strength_epsilon * std::expm1(strength);
}

}  // namespace

std::vector<float> FoldIn(const ModelSnapshot& snapshot,
                          std::optional<int32_t> customer_row,
                          const absl::flat_hash_map<int32_t, float>& added) {
  const std::optional<FoldInParameters>& parameters =
      snapshot.fold_in_parameters();
  if (!parameters.has_value()) return {};
  // Summed weights per item, ordered so the result does not depend on hash
  // order.
  std::map<int32_t, double> sums;
  if (customer_row.has_value()) {
    const snapshot::Customer& customer = snapshot.customer(*customer_row);
    for (int k = 0; k < customer.interaction_items_size(); ++k) {
      sums[customer.interaction_items(k)] +=
          SummedWeights(customer.interaction_strengths(k), *parameters);
    }
  }
  for (const auto& [item, weight] : added) {
    if (weight > 0) sums[item] += weight;
  }
  std::vector<int32_t> items;
  std::vector<float> strengths;
  double total_strength = 0;
  for (const auto& [item, sum] : sums) {
    const float strength = Strength(sum, *parameters);
    if (!(strength > 0)) continue;
    items.push_back(item);
    strengths.push_back(strength);
    total_strength += strength;
  }
  if (items.empty()) return {};
  const EmbeddingMatrix& factors = snapshot.item_factors();
  std::vector<float> taste(snapshot.dimension());
  for (size_t b = 0; b < parameters->blocks.size(); ++b) {
    const FoldInParameters::Block& block = parameters->blocks[b];
    const int32_t d = block.factors;
    const float lambda = IalsRowRegularization(
        block.regularization, block.regularization_exponent,
        snapshot.num_items(), block.alpha, total_strength);
    IalsRowSolver solver(ConstGramMap(snapshot.block_item_gram(b).data(), d, d),
                         FactorColumns(factors.values.data(), factors.rows,
                                       factors.dimension, block.offset, d),
                         block.alpha);
    solver.Solve(items, strengths, lambda, taste.data() + block.offset);
  }
  return taste;
}

}  // namespace recommender
