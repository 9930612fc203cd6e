#include "recommender/ltr/ranking_features.h"

namespace recommender {

const std::vector<std::string>& RankingFeatureNames() {
  static const auto* const kNames = new std::vector<std::string>{
      "ials_score",
      "ials_rank",
      "knn_score",
      "knn_rank",
      "ease_score",
      "ease_rank",
      "rebuy_rank",
      "touch_rank",
      "popularity_rank",
      "purchase_count",
      "purchase_share",
      "days_since_purchase",
      "touch_count",
      "cart_count",
      "days_since_touch",
      "repurchase_probability",
      "interval_ratio",
      "price_ratio",
      "category_affinity",
      "recent_purchases",
      "popularity_trend",
      "buyers",
      "is_durable",
      "is_consumable",
      "durability_confidence",
      "log_price",
      "customer_purchases",
      "customer_distinct_items",
      "customer_touches",
      "customer_days_since_last_event",
      "excludes_purchased",
  };
  static_assert(kNumRankingFeatures == 31, "update the names with the enum");
  return *kNames;
}

}  // namespace recommender
