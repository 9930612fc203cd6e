// The learned ranker's feature columns: one row per (customer, candidate
// item), in this order. The trainer writes the names into the snapshot's
// manifest and the server refuses a ranker whose list differs, so a model
// is never fed columns it was not trained on. Computed by
// recommender/ranking/candidate_features.h for training and serving alike.
//
// Missing values (a source that did not propose the item, an item never
// bought) are NaN; the trees learn where they go.
#ifndef RECOMMENDER_LTR_RANKING_FEATURES_H_
#define RECOMMENDER_LTR_RANKING_FEATURES_H_

#include <string>
#include <vector>

namespace recommender {

enum RankingFeature : int {
  // Candidate sources: score and 1-based rank in the source's list.
  kIalsScore,    // Taste vector . item vector.
  kIalsRank,
  kKnnScore,     // Item-kNN over the customer's history.
  kKnnRank,
  kEaseScore,    // EASE over the customer's history.
  kEaseRank,
  kRebuyRank,    // The customer's own purchases, most bought first, ties by
                 // the item's buyers.
  kTouchRank,    // The customer's viewed / carted items, newest first.
  kPopularityRank,  // The shop's recent best sellers.
  // The customer and this item.
  kPurchaseCount,
  kPurchaseShare,      // kPurchaseCount / the customer's purchases.
  kDaysSincePurchase,
  kTouchCount,         // Views and cart additions.
  kCartCount,
  kDaysSinceTouch,
  kRepurchaseProbability,  // P(bought within the horizon), consumables.
  kIntervalRatio,      // Days since the last purchase / typical interval.
  kPriceRatio,         // Price / the median unit price the customer paid.
  kCategoryAffinity,   // Share of the customer's history in its category.
  // The item.
  kRecentPurchases,
  kPopularityTrend,    // (recent + 1) / (previous window + 1).
  kBuyers,
  kIsDurable,
  kIsConsumable,
  kDurabilityConfidence,
  kLogPrice,
  // The customer.
  kCustomerPurchases,
  kCustomerDistinctItems,
  kCustomerTouches,
  kCustomerDaysSinceLastEvent,
  // The request.
  kExcludesPurchased,  // 1 if it leaves out everything the customer bought.
  kNumRankingFeatures,
};

// The names of the columns, in order ("ials_score", ...).
const std::vector<std::string>& RankingFeatureNames();

}  // namespace recommender

#endif  // RECOMMENDER_LTR_RANKING_FEATURES_H_
