// A generated shop of any size for the segment and campaign tests and
// benchmarks: customers with purchase histories over two years, profile
// attributes, a consumable bought on a 30-day cycle, and a fitted-looking
// customer-lifetime model (the published CDNOW estimates of Fader, Hardie &
// Lee 2005, in weeks). Deterministic for a seed.
//
// Thread-safe: pure function.
#ifndef RECOMMENDER_SEGMENTS_TESTING_SHOP_H_
#define RECOMMENDER_SEGMENTS_TESTING_SHOP_H_

#include <cstdint>
#include <memory>

#include "recommender/model/model_snapshot.h"

namespace recommender::segments {

struct TestingShopOptions {
  int64_t customers = 1000;
  uint64_t seed = 1;
  // Share of customers who never bought.
  double never_bought = 0.1;
};

// data_end of every testing shop: 2026-01-01T00:00:00Z.
inline constexpr int64_t kTestingShopEnd = 1767225600;

// Items "I00".."I19" (4 categories, prices 500 to 5,000; "I00" is coffee,
// a consumable re-bought every 30 days), customers "C0000000"... with ids
// in row order.
std::shared_ptr<const ModelSnapshot> MakeTestingShop(
    const TestingShopOptions& options);

// The same with `customers` customers and the default seed and shares.
std::shared_ptr<const ModelSnapshot> MakeTestingShop(int64_t customers);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_TESTING_SHOP_H_
