// Fills in the durability of catalog items the shop left unlabeled, so that
// the server's "never re-offer an owned durable" rule covers them too.
//
// Two kinds of evidence, combined as independent evidence in log-odds:
//  - Category: an unlabeled item leans towards the classes of the labeled
//    items in its category (or, failing that, its nearest parent category
//    with labels): prior P(consumable) = (consumables + 1) / (labeled + 2).
//  - Purchases: the repeat customer probability of Bhagat, Muralidharan,
//    Lobzhanidze & Vishwanath 2018 ("Buy It Again: Modeling Repeat Purchase
//    Recommendations"), the share of an item's buyers who bought it again.
//    Consumables are re-bought, durables are not. The share is estimated
//    with a uniform prior (posterior Beta(repeaters + 1, others + 1)); the
//    classes are split at a threshold taken from the shop's labeled items
//    (the geometric mean of the two classes' pooled shares) or, without
//    enough labels, a default; the evidence is the Bayes factor of
//    "share below the threshold" against "above". Purchases closer than
//    half a day are one purchase (repurchase_intervals.h), and buyers whose
//    first purchase came too late to re-buy (less than the longer of
//    min_observation_days and the item's median re-buy gap before the
//    newest event) are not counted.
// With no evidence at all an item stays unknown. Labeled items are returned
// as given, confidence 1.
//
// Thread-safe: pure functions.
#ifndef TRAINING_DURABILITY_DURABILITY_INFERENCE_H_
#define TRAINING_DURABILITY_DURABILITY_INFERENCE_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct DurabilityInferenceOptions {
  // Buyers need this many days (or the item's median re-buy gap, if longer)
  // between their first purchase and the newest event to count.
  double min_observation_days = 30;
  // Repeat-buyer share separating durables from consumables when the shop
  // has fewer than min_labeled_items labeled items with buyers in a class.
  double default_repeat_share_threshold = 0.1;
  int32_t min_labeled_items = 3;
};

struct InferredDurability {
  Durability durability = Durability::kUnknown;
  // Probability of the class given the evidence, in (0.5, 1]; 0 when
  // unknown.
  float confidence = 0;
};

// An item's repeat-purchase statistics.
struct RepeatPurchaseStats {
  int32_t buyers = 0;         // Buyers who had time to re-buy.
  int32_t repeat_buyers = 0;  // Of those, buyers who bought it again.
  // Median days between a customer's successive purchases (all buyers); 0
  // when nobody re-bought.
  double median_repeat_gap_days = 0;
};

// One entry per item of a catalog with `num_items` items, from the purchase
// events among `events` (any order; other event types are ignored).
std::vector<RepeatPurchaseStats> ComputeRepeatPurchaseStats(
    int32_t num_items, absl::Span<const Event> events,
    const DurabilityInferenceOptions& options);

// The repeat-buyer share separating the classes, from the labeled items'
// statistics (see above).
double RepeatShareThreshold(const std::vector<CatalogItem>& items,
                            absl::Span<const RepeatPurchaseStats> stats,
                            const DurabilityInferenceOptions& options);

// One entry per item, from category and purchase evidence.
std::vector<InferredDurability> InferDurability(
    const std::vector<CatalogItem>& items, absl::Span<const Event> events,
    const DurabilityInferenceOptions& options = {});

// Category evidence only (as if nobody had bought anything).
std::vector<InferredDurability> InferDurabilityByCategory(
    const std::vector<CatalogItem>& items);

}  // namespace recommender

#endif  // TRAINING_DURABILITY_DURABILITY_INFERENCE_H_
