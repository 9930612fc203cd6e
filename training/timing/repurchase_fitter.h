// Fits the item-level repurchase model (recommender/timing/
// repurchase_model.h) to every customer's purchases of consumables:
// empirical Bayes by alternating between the customers' effects (the same
// estimator the server uses) and the population parameters (item and
// category means and spreads, the effects' prior spreads by EM, and how
// intervals scale with the units bought).
//
// Thread-safe: pure function of its input.
#ifndef TRAINING_TIMING_REPURCHASE_FITTER_H_
#define TRAINING_TIMING_REPURCHASE_FITTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/snapshot.pb.h"
#include "recommender/data/shop_data.h"
#include "recommender/timing/repurchase_intervals.h"

namespace recommender {

struct RepurchaseFitInput {
  // Per item row: whether it is bought on a cycle, and its category path.
  std::vector<bool> consumable;
  std::vector<std::string> categories;
  // Per customer: their purchases (any items; others are ignored).
  std::vector<std::vector<ConsumablePurchase>> customers;
  // Purchases after this are ignored.
  int64_t end_seconds = INT64_MAX;
};

struct RepurchaseFitOptions {
  int rounds = 10;
  // Pseudo-intervals pulling an item's spread toward its category's.
  double spread_prior_intervals = 10;
  // An item (category) with fewer intervals is labelled with the basis
  // above it (CATEGORY, SHOP), though its own intervals still count.
  int min_intervals_for_basis = 3;
  // Fit how intervals scale with units bought; else proportionally (1).
  bool fit_quantity_exponent = true;
  // Fit the customer-level effects; with false the model is the item's
  // population distribution only (an ablation for the evaluation).
  bool customer_effects = true;
};

// FailedPrecondition if there are fewer than 10 re-purchase intervals.
absl::StatusOr<snapshot::RepurchaseModel> FitRepurchaseModel(
    const RepurchaseFitInput& input, const RepurchaseFitOptions& options = {});

// The input from shop data: `consumable[i]` says which items count.
RepurchaseFitInput RepurchaseInputFromShop(const ShopData& data,
                                           const std::vector<bool>& consumable,
                                           int64_t end_seconds);

}  // namespace recommender

#endif  // TRAINING_TIMING_REPURCHASE_FITTER_H_
