// The "fashion" generated shop (generate_sample_data --profile=fashion):
// clothing, shoes and accessories, the regime where what sells now is what
// arrived lately and a customer rarely buys the same item twice:
//  - 15 categories (women/…, men/…, shoes/…, bags, accessories/…,
//    basics/…); items are bought once (item_truth: durable) except basics
//    (socks, underwear, tights: consumable, re-bought on a cycle);
//  - new items arrive every week and sell mostly in their first weeks, each
//    fading at its own pace;
//  - views dominate: a visit looks at several items of one category, some
//    liked ones are looked at again on later visits, and about one visit in
//    seven ends in a purchase (tens of views per purchase);
//  - durability labels as the default shop (a share left empty).
//
// Thread-safe: pure function of the options.
#ifndef TRAINING_SAMPLE_DATA_FASHION_SHOP_H_
#define TRAINING_SAMPLE_DATA_FASHION_SHOP_H_

#include "training/sample_data/sample_shop.h"

namespace recommender {

// Categories of the fashion catalog (items are dealt to them in turn).
inline constexpr int kFashionCategories = 15;

// 3,000 customers, 2,000 items, one year to 2026-09-30.
SampleShopOptions FashionShopDefaults();

// `options` must pass ValidateSampleShopOptions.
SampleShop GenerateFashionShop(const SampleShopOptions& options);

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_FASHION_SHOP_H_
