#include "recommender/segments/testing_shop.h"

#include <cstdlib>
#include <iostream>
#include <utility>

#include "absl/strings/str_format.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender::segments {
namespace {

// SplitMix64: small, fast and the same on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % n); }

 private:
  uint64_t state_;
};

constexpr int kItems = 20;
constexpr int64_t kDay = 86400;
const char* const kAgeBands[] = {"20-29", "30-39", "40-49", "50-59"};
const char* const kGenders[] = {"f", "m", ""};
const char* const kRegions[] = {"tokyo", "osaka", "nagoya", "fukuoka",
                                "sapporo"};

}  // namespace

std::shared_ptr<const ModelSnapshot> MakeTestingShop(
    const TestingShopOptions& options) {
  TestSnapshotBuilder builder(2);
  for (int i = 0; i < kItems; ++i) {
    builder.AddItem(absl::StrFormat("I%02d", i),
                    absl::StrFormat("category/%d", i % 4),
                    {static_cast<float>(i % 3), static_cast<float>(i % 5)},
                    i == 0 ? snapshot::CONSUMABLE : snapshot::DURABLE,
                    /*price=*/500 + 250 * (i % 19), /*recent_purchases=*/kItems - i);
  }
  builder.SetRepurchaseCycle("I00", 30).SetDataEnd(kTestingShopEnd);
  SnapshotContents contents = builder.Build();

  Random random(options.seed);
  snapshot::CustomerTable& table = contents.customers;
  table.mutable_customers()->Reserve(static_cast<int>(options.customers));
  for (int64_t c = 0; c < options.customers; ++c) {
    snapshot::Customer* customer = table.add_customers();
    customer->set_id(absl::StrFormat("C%07d", c));
    customer->set_factor_row(-1);
    customer->set_age_band(kAgeBands[random.Below(4)]);
    customer->set_gender(kGenders[random.Below(3)]);
    customer->set_region(kRegions[random.Below(5)]);
    if (random.Uniform() < options.never_bought) continue;
    // First order within two years; 1 to 12 orders, heavier buyers rarer;
    // some stopped buying long ago.
    const int64_t first = kTestingShopEnd - (1 + random.Below(730)) * kDay;
    int orders = 1;
    while (orders < 12 && random.Uniform() < 0.6) ++orders;
    const int64_t span = kTestingShopEnd - first;
    const double active_share = random.Uniform() < 0.4 ? 0.3 : 1.0;
    int64_t t = first;
    for (int o = 0; o < orders; ++o) {
      const int lines = 1 + static_cast<int>(random.Below(3));
      for (int l = 0; l < lines; ++l) {
        customer->add_purchased_items(static_cast<int32_t>(
            random.Uniform() < 0.3 ? 0 : random.Below(kItems)));
        customer->add_purchase_times(t + l * 60);
        customer->add_purchase_quantities(1 + static_cast<int32_t>(random.Below(2)));
        customer->add_purchase_unit_prices(static_cast<float>(
            500 + 250 * random.Below(19)));
      }
      customer->set_last_event_time(t + lines * 60);
      t += static_cast<int64_t>(random.Uniform() * active_share *
                                static_cast<double>(span) / orders) +
           kDay;
      if (t >= kTestingShopEnd) break;
    }
  }
  contents.manifest.set_num_customers(table.customers_size());
  snapshot::CustomerLifetimeModel* lifetime =
      contents.timing.mutable_lifetime();
  lifetime->set_bgnbd_r(0.243);
  lifetime->set_bgnbd_alpha(4.414);
  lifetime->set_bgnbd_a(0.793);
  lifetime->set_bgnbd_b(2.426);
  lifetime->set_gamma_gamma_p(6.25);
  lifetime->set_gamma_gamma_q(3.74);
  lifetime->set_gamma_gamma_gamma(15.44);
  lifetime->set_days_per_unit(7);
  auto snapshot = ModelSnapshot::FromContents(std::move(contents));
  if (!snapshot.ok()) {
    std::cerr << "MakeTestingShop: " << snapshot.status() << std::endl;
    std::abort();
  }
  return std::shared_ptr<const ModelSnapshot>(*std::move(snapshot));
}

std::shared_ptr<const ModelSnapshot> MakeTestingShop(int64_t customers) {
  TestingShopOptions options;
  options.customers = customers;
  return MakeTestingShop(options);
}

}  // namespace recommender::segments
