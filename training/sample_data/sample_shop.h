// A deterministic generator of realistic small shops, with the ground truth
// the generator used, so that tests and evaluations can check what the
// trainer learns against what is really there.
//
// Three profiles, each a regime real shops have (docs/data-format.md):
//  - default: a general store selling durable goods (appliances, furniture:
//    bought once) and consumables (coffee, detergent, contact lenses:
//    re-bought on per-item cycles that vary per customer) in 20 clean
//    categories. Customers' age band, gender and region shape which
//    categories they care about; a hidden price tier and style shape which
//    items they pick within a category. Views lead up to purchases, some
//    carts are abandoned, some customers stop buying (churn).
//  - wholesale: trade customers re-stocking many items (wholesale_shop.h).
//  - fashion: few repeats, new items all the time, views dominate
//    (fashion_shop.h).
//
// Thread-safe: pure function of the options.
#ifndef TRAINING_SAMPLE_DATA_SAMPLE_SHOP_H_
#define TRAINING_SAMPLE_DATA_SAMPLE_SHOP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "recommender/data/shop_data.h"

namespace recommender {

enum class ShopProfile { kDefault, kWholesale, kFashion };

// "default", "wholesale", "fashion".
absl::string_view ShopProfileName(ShopProfile profile);
// Inverse of ShopProfileName; nullopt for any other text.
std::optional<ShopProfile> ParseShopProfile(absl::string_view text);

struct SampleShopOptions {
  ShopProfile profile = ShopProfile::kDefault;
  int32_t num_customers = 2000;
  // Spread evenly over the profile's categories (default: 20).
  int32_t num_items = 500;
  absl::CivilDay first_day = absl::CivilDay(2025, 10, 1);
  int32_t num_days = 365;
  // Share of catalog items whose durability is left empty in catalog.csv,
  // for the trainer to infer. The wholesale catalog has no durability
  // column at all, whatever this says.
  double unlabeled_share = 0.2;
  uint64_t seed = 20261123;
};

// The profile's own sizes and dates (the seed and unlabeled share as in
// SampleShopOptions); every profile's history ends on 2026-09-30.
SampleShopOptions ProfileDefaults(ShopProfile profile);

// InvalidArgument naming the option (as the generator's flag: "--items")
// when a size is too small for the profile or a share is outside [0, 1].
absl::Status ValidateSampleShopOptions(const SampleShopOptions& options);

struct ItemTruth {
  Durability durability = Durability::kUnknown;
  // Mean days between purchases of this item by a typical customer; 0 for
  // durables.
  double cycle_days = 0;
};

struct CustomerTruth {
  // Multiplies every item cycle for this customer (heavy users < 1).
  double cycle_multiplier = 1;
  // First day without any activity, if the customer churned.
  std::optional<absl::CivilDay> churn_day;
};

struct SampleShop {
  // items[i].durability is empty for unlabeled items; item_truth[i] is not.
  ShopData data;
  // Whether catalog.csv gets a durability column (wholesale: no).
  bool catalog_durability_column = true;
  std::vector<ItemTruth> item_truth;
  std::vector<CustomerTruth> customer_truth;
};

SampleShop GenerateSampleShop(const SampleShopOptions& options);

inline constexpr char kItemTruthFile[] = "ground_truth_items.csv";
inline constexpr char kCustomerTruthFile[] = "ground_truth_customers.csv";

// What StreamSampleShop wrote.
struct SampleShopStats {
  int64_t items = 0;
  int64_t customers = 0;
  int64_t events = 0;
  int64_t events_bytes = 0;  // Size of events.csv.
};

// Generates the same shop as GenerateSampleShop and writes the same files
// as WriteSampleShop. The default profile streams events.csv customer by
// customer (each customer's events in time order) instead of holding every
// event: memory grows with customers and items, not events. For shops at
// scale, e.g. 1M customers x 100k items (~57M events, ~3 GB). The other
// profiles are built in memory, then written. Errors as in
// ValidateSampleShopOptions, or from writing.
absl::StatusOr<SampleShopStats> StreamSampleShop(const SampleShopOptions& options,
                                                 const std::string& dir);

// Writes ground_truth_items.csv and ground_truth_customers.csv (see below).
absl::Status WriteGroundTruth(const SampleShop& shop, const std::string& dir);

// Writes the three shop files (timestamps in Japan time, +09:00) and the
// ground truth: ground_truth_items.csv (item_id, durability, cycle_days) and
// ground_truth_customers.csv (customer_id, cycle_multiplier, churn_day).
absl::Status WriteSampleShop(const SampleShop& shop, const std::string& dir);

// The ground truth of `data`, read back from the two files WriteSampleShop
// writes into `dir`: one entry per item and customer of `data`, in its
// order. NotFound if the files are missing (not a generated shop);
// InvalidArgument naming file and line for a bad row or an unknown id.
absl::StatusOr<SampleShop> ReadSampleShopTruth(const std::string& dir,
                                               const ShopData& data);

}  // namespace recommender

#endif  // TRAINING_SAMPLE_DATA_SAMPLE_SHOP_H_
