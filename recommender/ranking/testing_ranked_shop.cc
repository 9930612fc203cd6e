#include "recommender/ranking/testing_ranked_shop.h"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/index/testing_vectors.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/testing_ranker.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/recommend.h"

namespace recommender {
namespace {

constexpr int kItems = 500;
constexpr int kCustomers = 300;
constexpr int kDimension = 32;
constexpr int64_t kStart = 1700000000;

std::string ItemId(int i) { return absl::StrFormat("P%05d", i); }
std::string CustomerId(int c) { return absl::StrFormat("C%05d", c); }

TestSnapshotBuilder ShopWithoutRanker() {
  const EmbeddingMatrix vectors =
      ClusteredVectors(kItems + kCustomers, kDimension, 20, 7);
  TestSnapshotBuilder builder(kDimension);
  for (int i = 0; i < kItems; ++i) {
    const auto row = vectors.row(i);
    builder.AddItem(ItemId(i), absl::StrCat("category/", i % 10),
                    std::vector<float>(row.begin(), row.end()),
                    i % 3 == 0 ? snapshot::DURABLE : snapshot::CONSUMABLE,
                    /*price=*/500 + (i * 37) % 5000,
                    /*recent_purchases=*/(i * 13) % 40);
  }
  for (int c = 0; c < kCustomers; ++c) {
    const auto row = vectors.row(kItems + c);
    std::vector<std::pair<std::string, int64_t>> purchases;
    for (int p = 0; p < 15; ++p) {
      purchases.emplace_back(ItemId((c * 31 + p * p * 7) % kItems),
                             kStart + p * 86400 * 3);
    }
    builder.AddCustomer(CustomerId(c),
                        std::vector<float>(row.begin(), row.end()),
                        std::move(purchases));
    for (int t = 0; t < 10; ++t) {
      builder.AddTouch(ItemId((c * 17 + t * 11) % kItems),
                       kStart + 45 * 86400 + t * 3600, t % 4 == 0);
    }
  }
  for (const char* name : {"item_knn", "ease"}) {
    std::vector<std::tuple<std::string, std::string, float>> edges;
    for (int i = 0; i < kItems; ++i) {
      for (int k = 1; k <= 20; ++k) {
        edges.emplace_back(ItemId(i), ItemId((i + k * k + name[0]) % kItems),
                           1.0f / static_cast<float>(k));
      }
    }
    builder.SetNeighbors(name, std::move(edges));
  }
  builder.SetDataEnd(kStart + 50 * 86400);
  return builder;
}

// A relevance label from several features of a candidate row, plus a
// pseudo-random part.
float Label(const float* row, int customer, int32_t item) {
  float label = 0;
  if (!std::isnan(row[kIalsRank]) && row[kIalsRank] <= 15) label += 1;
  if (row[kPurchaseCount] > 0 && row[kIsConsumable] > 0) label += 1;
  if (!std::isnan(row[kCategoryAffinity]) && row[kCategoryAffinity] > 0.12f) {
    label += 1;
  }
  if (!std::isnan(row[kKnnScore]) && row[kKnnScore] > 0.6f) label += 1;
  if ((customer * 7919 + item * 104729) % 5 == 0) label += 1;
  return label;
}

std::string TrainRanker(const ModelSnapshot& snapshot) {
  const CandidateOptions options = SnapshotCandidateOptions(snapshot);
  std::vector<float> features;
  std::vector<float> labels;
  std::vector<unsigned> groups;
  for (int c = 0; c < kCustomers; ++c) {
    RecommendQuery query;
    query.customer_id = CustomerId(c);
    absl::StatusOr<CandidateSet> set =
        RankerCandidates(snapshot, options, query);
    if (!set.ok() || set->items.empty()) continue;
    features.insert(features.end(), set->features.begin(), set->features.end());
    for (size_t i = 0; i < set->items.size(); ++i) {
      labels.push_back(
          Label(&set->features[i * kNumRankingFeatures], c, set->items[i]));
    }
    groups.push_back(static_cast<unsigned>(set->items.size()));
  }
  return TrainTestBooster(features, labels, groups,
                          {{"objective", "rank:pairwise"},
                           {"max_depth", "6"},
                           {"eta", "0.3"},
                           {"subsample", "0.8"},
                           {"colsample_bytree", "0.8"},
                           {"seed", "42"}},
                          40);
}

}  // namespace

SnapshotContents RankedTestShop() {
  TestSnapshotBuilder builder = ShopWithoutRanker();
  absl::StatusOr<std::unique_ptr<const ModelSnapshot>> unranked =
      ModelSnapshot::FromContents(builder.Build());
  if (!unranked.ok()) {
    std::cerr << unranked.status() << "\n";
    std::abort();
  }
  builder.SetRanker(TrainRanker(**unranked));
  return builder.Build();
}

std::vector<std::string> RankedTestShopCustomers() {
  std::vector<std::string> ids;
  for (int c = 0; c < kCustomers; ++c) ids.push_back(CustomerId(c));
  return ids;
}

}  // namespace recommender
