// For tests and benchmarks: a generated shop with a learned ranker whose
// scores depend on many features, as a trained one's do. 500 items in 10
// categories (a third durable), 300 customers with 15 purchases, 10 views
// or cart additions and a taste vector each, item-kNN and EASE lists of 20
// neighbours per item; the ranker is trained by XGBoost (rank:pairwise,
// depth 6, 40 rounds) on the shop's own candidate features, with labels
// made from several of them.
#ifndef RECOMMENDER_RANKING_TESTING_RANKED_SHOP_H_
#define RECOMMENDER_RANKING_TESTING_RANKED_SHOP_H_

#include <string>
#include <vector>

#include "recommender/model/snapshot_contents.h"

namespace recommender {

// The shop's contents, ranker included. CHECK-fails if XGBoost does.
SnapshotContents RankedTestShop();

// Its customers' ids, in row order.
std::vector<std::string> RankedTestShopCustomers();

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_TESTING_RANKED_SHOP_H_
