// A deterministic generator of a realistic small shop, with the ground truth
// the generator used, so that tests and evaluations can check what the
// trainer learns against what is really there.
//
// The shop sells durable goods (appliances, furniture: bought once) and
// consumables (coffee, detergent, contact lenses: re-bought on per-item
// cycles that vary per customer). Customers' age band, gender and region
// shape which categories they care about; a hidden price tier and style
// shape which items they pick within a category. Views lead up to purchases,
// some carts are abandoned, some customers stop buying (churn).
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
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct SampleShopOptions {
  int32_t num_customers = 2000;
  // Spread evenly over the 20 categories.
  int32_t num_items = 500;
  absl::CivilDay first_day = absl::CivilDay(2025, 10, 1);
  int32_t num_days = 365;
  // Share of catalog items whose durability is left empty in catalog.csv,
  // for the trainer to infer.
  double unlabeled_share = 0.2;
  uint64_t seed = 20261123;
};

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
// as WriteSampleShop, but streams events.csv customer by customer (each
// customer's events in time order) instead of holding every event: memory
// grows with customers and items, not events. For shops at scale, e.g.
// 1M customers x 100k items (~57M events, ~3 GB).
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
