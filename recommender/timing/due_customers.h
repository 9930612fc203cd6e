// Selects the customers who have a consumable due in a range of days, for
// reminder campaigns ("your coffee is about to run out"). A consumable is
// due on its last purchase plus the customer's typical interval
// (ConsumableForecast::due). Reusable as a customer selector of batch
// recommendations. Erased customers (model_snapshot.h) are never selected.
//
// Thread-safe: pure function of an immutable snapshot. Cost: one forecast
// per customer who bought a consumable (linear in the purchase history).
#ifndef RECOMMENDER_TIMING_DUE_CUSTOMERS_H_
#define RECOMMENDER_TIMING_DUE_CUSTOMERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/timing/next_purchase.h"

namespace recommender {

inline constexpr int kMaxDueCustomers = 10000;
inline constexpr size_t kMaxDueCategories = 100;

struct DueSelection {
  // Forecasts are made at this time (purchases after it are not seen).
  absl::Time as_of;
  // Due dates from the start of `due_from` to the end of `due_to`, calendar
  // days in the shop's zone (the timing model's UTC offset).
  absl::CivilDay due_from;
  absl::CivilDay due_to;
  // Only consumables in one of these categories or below; empty: all. At
  // most kMaxDueCategories.
  std::vector<std::string> categories;
  // Customers less likely than this to be active are left out.
  double min_probability_active = 0;
  // Lapsed consumables count only if set.
  bool include_lapsed = false;
  // 1 to kMaxDueCustomers.
  int max_customers = 1000;
  // Horizon of ConsumableForecast::probability_within_horizon.
  double horizon_days = 30;
};

struct DueCustomer {
  int32_t customer = 0;  // Row in the snapshot's customer table.
  double probability_active = 1;
  // The customer's consumables due in the range, soonest first.
  std::vector<ConsumableForecast> due;
};

struct DueCustomers {
  // Soonest first due date first (ties by customer id), at most
  // max_customers.
  std::vector<DueCustomer> customers;
  // How many matched in all.
  int64_t total_matching = 0;
};

// InvalidArgument naming the field for due_to before due_from, a range of
// more than 366 days, max_customers out of range, min_probability_active
// outside [0, 1] or a malformed category. With no timing model in the
// snapshot nobody is due.
absl::StatusOr<DueCustomers> SelectDueCustomers(const ModelSnapshot& snapshot,
                                                const DueSelection& selection);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_DUE_CUSTOMERS_H_
