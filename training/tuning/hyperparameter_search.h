// The trials of a hyperparameter search over the training settings (iALS
// and how events become interaction strengths), and the table that records
// them, for the tuning tool (//training/tuning:tune).
//
// A search space lists the values to try per hyperparameter. A grid search
// tries every combination, in order (the last dimension varies fastest); a
// random search tries `count` distinct combinations drawn uniformly from the
// grid with a seed (Bergstra & Bengio 2012, "Random Search for
// Hyper-Parameter Optimization": with few influential dimensions, random
// combinations cover each dimension's values better than a grid of the
// same size).
//
// Thread-safe: pure functions.
#ifndef TRAINING_TUNING_HYPERPARAMETER_SEARCH_H_
#define TRAINING_TUNING_HYPERPARAMETER_SEARCH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "training/ials/ials.h"
#include "training/ials/interaction_matrix.h"

namespace recommender {

// Every list must hold at least one value (SearchSpaceAround fills the ones
// not searched with the base setting).
struct IalsSearchSpace {
  std::vector<int32_t> factors;
  std::vector<int32_t> epochs;
  std::vector<float> regularization;
  std::vector<float> regularization_exponent;
  std::vector<float> alpha;
  std::vector<float> view_weight;
  std::vector<float> cart_weight;
  std::vector<float> purchase_weight;
  std::vector<float> recency_half_life_days;
};

struct IalsTrial {
  int32_t factors = 0;
  int32_t epochs = 0;
  float regularization = 0;
  float regularization_exponent = 0;
  float alpha = 0;
  float view_weight = 0;
  float cart_weight = 0;
  float purchase_weight = 0;
  float recency_half_life_days = 0;
};

// `space` with every empty list replaced by the base setting's one value.
IalsSearchSpace SearchSpaceAround(IalsSearchSpace space, const IalsOptions& ials,
                                  const InteractionOptions& interactions);

// "1,3,10" -> {1, 3, 10}. InvalidArgument naming `name` for an empty list
// or a value that is not a number.
absl::StatusOr<std::vector<float>> ParseFloatList(absl::string_view name,
                                                  absl::string_view text);
absl::StatusOr<std::vector<int32_t>> ParseIntList(absl::string_view name,
                                                  absl::string_view text);

// Number of combinations (product of the list sizes).
int64_t GridSize(const IalsSearchSpace& space);

// Every combination.
std::vector<IalsTrial> GridTrials(const IalsSearchSpace& space);

// min(count, GridSize) distinct combinations; same seed, same trials.
std::vector<IalsTrial> RandomTrials(const IalsSearchSpace& space,
                                    int64_t count, uint64_t seed);

// Sets the trial's settings in `ials` and `interactions`, leaving the rest.
void ApplyTrial(const IalsTrial& trial, IalsOptions* ials,
                InteractionOptions* interactions);

struct TrialResult {
  IalsTrial trial;
  double seconds = 0;
  // Metric name (e.g. "new/ndcg@10") -> value.
  std::map<std::string, double> metrics;
};

// Tab-separated: a header, then one row per result in the given order:
// trial (1-based), factors, epochs, regularization,
// regularization_exponent, alpha, view_weight, cart_weight,
// purchase_weight, recency_half_life_days, seconds, then every metric name
// that any result has, sorted (empty cell where a result lacks it).
std::string TrialTableTsv(const std::vector<TrialResult>& results);

}  // namespace recommender

#endif  // TRAINING_TUNING_HYPERPARAMETER_SEARCH_H_
