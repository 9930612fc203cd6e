// The "wholesale" generated shop (generate_sample_data --profile=wholesale):
// trade customers (gift shops, cafés, market stalls) re-stocking goods from
// a wholesaler's flat catalog, the regime where "what this customer bought
// before" is most of what they buy next:
//  - one category for every item and no durability column in catalog.csv;
//  - purchases only (no views, no carts); an order's lines share one
//    timestamp; quantities come in the customer's trade pack;
//  - staples (item_truth: consumable, with cycle_days) that a customer who
//    stocks them re-orders each time they run out; one-off lines
//    (item_truth: durable) bought at most once per customer;
//  - heavy-tailed order sizes and rates: a few key accounts order every
//    week and end up with more than 1,000 distinct items;
//  - new lines join the catalog during the window; a quarter of the
//    customers stop ordering at some point (churn).
//
// Thread-safe: pure function of the options.
#ifndef TRAINING_SAMPLE_DATA_WHOLESALE_SHOP_H_
#define TRAINING_SAMPLE_DATA_WHOLESALE_SHOP_H_

#include "training/sample_data/sample_shop.h"

namespace recommender {

// 1,000 customers, 2,000 items, two years to 2026-09-30.
SampleShopOptions WholesaleShopDefaults();

// `options` must pass ValidateSampleShopOptions; its unlabeled_share is
// not used (the catalog has no labels).
SampleShop GenerateWholesaleShop(const SampleShopOptions& options);

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_WHOLESALE_SHOP_H_
