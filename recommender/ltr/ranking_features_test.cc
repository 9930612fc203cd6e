#include "recommender/ltr/ranking_features.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

// Every column with the name a ranker's manifest records for it. A model is
// matched to the server by this list, so the enum and the names must move
// together: a column inserted in one but not the other shows up here.
const std::vector<std::pair<RankingFeature, std::string>>& ExpectedColumns() {
  static const auto* const kColumns =
      new std::vector<std::pair<RankingFeature, std::string>>{
          {kIalsScore, "ials_score"},
          {kIalsRank, "ials_rank"},
          {kKnnScore, "knn_score"},
          {kKnnRank, "knn_rank"},
          {kEaseScore, "ease_score"},
          {kEaseRank, "ease_rank"},
          {kRebuyRank, "rebuy_rank"},
          {kTouchRank, "touch_rank"},
          {kPopularityRank, "popularity_rank"},
          {kPurchaseCount, "purchase_count"},
          {kPurchaseShare, "purchase_share"},
          {kDaysSincePurchase, "days_since_purchase"},
          {kTouchCount, "touch_count"},
          {kCartCount, "cart_count"},
          {kDaysSinceTouch, "days_since_touch"},
          {kRepurchaseProbability, "repurchase_probability"},
          {kIntervalRatio, "interval_ratio"},
          {kPriceRatio, "price_ratio"},
          {kCategoryAffinity, "category_affinity"},
          {kRecentPurchases, "recent_purchases"},
          {kPopularityTrend, "popularity_trend"},
          {kBuyers, "buyers"},
          {kIsDurable, "is_durable"},
          {kIsConsumable, "is_consumable"},
          {kDurabilityConfidence, "durability_confidence"},
          {kLogPrice, "log_price"},
          {kCustomerPurchases, "customer_purchases"},
          {kCustomerDistinctItems, "customer_distinct_items"},
          {kCustomerTouches, "customer_touches"},
          {kCustomerDaysSinceLastEvent, "customer_days_since_last_event"},
          {kExcludesPurchased, "excludes_purchased"},
      };
  return *kColumns;
}

TEST(RankingFeaturesTest, OneNamePerColumn) {
  EXPECT_EQ(kNumRankingFeatures, 31);
  EXPECT_EQ(RankingFeatureNames().size(),
            static_cast<size_t>(kNumRankingFeatures));
  EXPECT_EQ(ExpectedColumns().size(), static_cast<size_t>(kNumRankingFeatures));
}

TEST(RankingFeaturesTest, EachColumnIsNamedAfterItsFeature) {
  const std::vector<std::string>& names = RankingFeatureNames();
  for (size_t i = 0; i < ExpectedColumns().size(); ++i) {
    const auto& [feature, name] = ExpectedColumns()[i];
    // Columns are numbered 0, 1, ... in the order listed.
    EXPECT_EQ(static_cast<int>(feature), static_cast<int>(i)) << name;
    ASSERT_LT(static_cast<size_t>(feature), names.size());
    EXPECT_EQ(names[feature], name);
  }
}

TEST(RankingFeaturesTest, NamesAreDistinctSnakeCase) {
  absl::flat_hash_set<std::string> seen;
  for (const std::string& name : RankingFeatureNames()) {
    EXPECT_TRUE(seen.insert(name).second) << "repeated: " << name;
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(name.front()))) << name;
    for (char c : name) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '_')
          << name;
    }
  }
}

TEST(RankingFeaturesTest, TheSameListEveryCall) {
  EXPECT_EQ(&RankingFeatureNames(), &RankingFeatureNames());
}

}  // namespace
}  // namespace recommender
