// Offline evaluation of next-purchase timing on a time split: everything up
// to the end of a calibration period trains the models, the following test
// window holds the truth.
//
// Two levels:
//  - shop data, per (customer, consumable item) pair bought before the
//    split: when will the customer buy that item again?
//  - a purchase log such as CDNOW, per customer: when is the next order?
// Scored per model: the mean (and median) absolute error in days of the
// predicted next purchase over the pairs that do buy again in the test
// window, and the Brier score of P(purchase within `horizon_days` of the
// split) over all pairs. Naive baselines (the item's or the population's
// median interval; the customer's last interval) are scored beside the
// models, and, for a generated sample shop, the generator's true cycles as
// a reference.
//
// Thread-safe: pure functions.
#ifndef TRAINING_TIMING_TIMING_EVALUATION_H_
#define TRAINING_TIMING_TIMING_EVALUATION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data.h"
#include "training/timing/btyd/purchase_log.h"
#include "training/sample_data/sample_shop.h"

namespace recommender {

struct TimingSplit {
  // Purchases before this train the models; forecasts are made at it.
  absl::Time cutoff;
  // The test window is (cutoff, test_end].
  absl::Time test_end;
  // P(purchase within this many days of the cutoff) is scored.
  double horizon_days = 30;
  // The shop's zone, for calendar days (orders) of the customer models.
  int32_t utc_offset_seconds = 9 * 3600;
};

struct TimingMetrics {
  // "baseline", "model" or "reference".
  std::string kind;
  int64_t pairs = 0;
  int64_t rebuying_pairs = 0;
  double mae_days = 0;
  double median_abs_error_days = 0;
  // Mean squared error of P(purchase within horizon_days).
  double brier = 0;
  // Pairs that were bought within horizon_days (the same for every model:
  // their share is the base rate).
  int64_t bought_within_horizon = 0;
};

// Which items a shop timing evaluation scores as consumables, and where
// the classes came from.
struct ConsumableItems {
  std::vector<bool> consumable;  // One per catalog item.
  // "catalog" (every item labeled), "catalog+inferred" (the unlabeled
  // ones inferred) or "inferred" (a catalog without labels).
  std::string source;
  int64_t labeled_items = 0;
  int64_t inferred_consumables = 0;
  int64_t inferred_durables = 0;
  int64_t unknown_items = 0;  // No evidence at all: not scored.
};

// The catalog's labels and, for unlabeled items, the trainer's own
// inference (durability_inference.h: category labels and repeat buying)
// from the purchases up to `cutoff` only, so that nothing of the test
// window decides which pairs are scored.
ConsumableItems ConsumablesAtCutoff(const ShopData& data, absl::Time cutoff);

struct TimingEvaluation {
  std::string dataset;
  // "customer_item" or "customer".
  std::string level;
  TimingSplit split;
  // Shop data: how the consumables were chosen (when EvaluateShopTiming
  // chose them).
  std::optional<ConsumableItems> consumables;
  // In the order they were scored.
  std::vector<std::pair<std::string, TimingMetrics>> models;
  // Fitted parameters worth seeing beside the scores.
  std::map<std::string, double> fit;
  // Where the BG/NBD estimate lies (BgNbdBoundaryName: "none",
  // "no_dropout", "same_dropout").
  std::string bgnbd_boundary;
};

// Per (customer, consumable) pair of `data`; `consumable[i]` says which
// items count. `truth`, if given, adds the generator's true cycles as a
// reference. FailedPrecondition if there is too little to fit.
absl::StatusOr<TimingEvaluation> EvaluateShopTiming(
    const ShopData& data, const std::vector<bool>& consumable,
    const TimingSplit& split, const SampleShop* truth = nullptr);

// The same with the consumables of ConsumablesAtCutoff(data, split.cutoff),
// recorded in the result (and its JSON).
absl::StatusOr<TimingEvaluation> EvaluateShopTiming(
    const ShopData& data, const TimingSplit& split,
    const SampleShop* truth = nullptr);

// Per customer of `log` whose first purchase is before the cutoff; days
// of the log are taken as UTC midnights.
absl::StatusOr<TimingEvaluation> EvaluateCustomerTiming(
    const PurchaseLog& log, const TimingSplit& split);

// The printed JSON document (training/internal/json_output.h):
// {"dataset": ..., "split": {...}, "durability": {...}, "models": {...},
//  "fit": {...}, "summary": {...}}: days to 3 decimals, Brier scores and
// rates to 4, the fitted parameters to 6 significant digits. "durability"
// (shop data whose consumables EvaluateShopTiming chose) says where the
// classes came from and how many were inferred. The summary compares the
// best model with the best naive baseline by MAE and by Brier score, and
// gives the test window's base rate and the Brier score of always
// answering it (r(1 - r), a reference that knows the outcome rate, to read
// the Brier scores by).
std::string TimingEvaluationJson(const TimingEvaluation& evaluation);

}  // namespace recommender

#endif  // TRAINING_TIMING_TIMING_EVALUATION_H_
