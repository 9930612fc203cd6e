// What the service says about when a customer will buy again, from one
// loaded snapshot: the customer-level lifetime figures (BG/NBD and
// Gamma-Gamma) and, per consumable the customer buys, the predicted next
// purchase with an interval, a probability and a status. The same
// forecasts drive the ranking's repurchase stage and the selection of
// customers with consumables due (due_customers.h).
//
// Thread-safe: pure functions of an immutable snapshot.
#ifndef RECOMMENDER_TIMING_NEXT_PURCHASE_H_
#define RECOMMENDER_TIMING_NEXT_PURCHASE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/timing/customer_lifetime.h"
#include "recommender/timing/repurchase_model.h"

namespace recommender {

enum class RepurchaseStatus {
  kNotDue,   // The typical interval ends more than due_soon_days from now.
  kDueSoon,  // It ends within due_soon_days.
  kOverdue,  // It has ended.
  kLapsed,   // Long past even a slow cycle: probably bought elsewhere now.
};

// "not due", "due soon", "overdue", "lapsed".
const char* RepurchaseStatusName(RepurchaseStatus status);

enum class IntervalSource {
  kCustomer,  // The customer's own re-purchases of the item.
  kItem,      // The item's population interval (at the customer's pace).
  kCategory,  // Its category's.
  kShop,      // The whole shop's.
};

// The thresholds behind RepurchaseStatus, in one place.
struct RepurchaseStatusOptions {
  double due_soon_days = 7;
  // Lapsed once the time since the last purchase exceeds this multiple of
  // the interval's 90th percentile.
  double lapsed_multiple = 2;
};

struct ConsumableForecast {
  int32_t item = 0;  // Row in the snapshot's item table.
  IntervalForecast interval;
  absl::Time last_purchase;
  // last_purchase + the typical (median) interval.
  absl::Time due;
  // The next purchase given none by as_of: median, 10th and 90th
  // percentiles; never before as_of.
  absl::Time predicted;
  absl::Time earliest;
  absl::Time latest;
  // P(bought within the horizon), including the chance that the customer
  // is no longer active.
  double probability_within_horizon = 0;
  RepurchaseStatus status = RepurchaseStatus::kNotDue;
  IntervalSource source = IntervalSource::kItem;
  // "re-bought about every 30 days; last bought 27 days ago".
  std::string explanation;
};

struct NextPurchasePrediction {
  // Unset if the snapshot has no customer-level model or the customer no
  // purchase up to as_of.
  std::optional<CustomerLifetimeFigures> lifetime;
  // Soonest due first.
  std::vector<ConsumableForecast> consumables;
};

// The snapshot's data_end (the newest training event), if it has one.
std::optional<absl::Time> SnapshotDataEnd(const ModelSnapshot& snapshot);

// The customer's purchases of items the timing model knows as consumables.
std::vector<ConsumablePurchase> ConsumablePurchases(
    const ModelSnapshot& snapshot, int32_t customer_row);

// P(the customer is still active at `as_of`); 1 without a fitted model or
// purchases.
double ProbabilityActive(const ModelSnapshot& snapshot, int32_t customer_row,
                         absl::Time as_of);

// Forecasts for the customer (a row of `snapshot`) at `as_of`, over
// `horizon_days` (> 0). Purchases after as_of are ignored. With no timing
// model in the snapshot the result is empty. InvalidArgument for a bad
// horizon or discount rate.
absl::StatusOr<NextPurchasePrediction> PredictNextPurchase(
    const ModelSnapshot& snapshot, int32_t customer_row, absl::Time as_of,
    double horizon_days, double annual_discount_rate = 0,
    const RepurchaseStatusOptions& options = {});

// Only the consumable forecasts (no lifetime figures), as above; for
// ranking and selections, where the horizon is `horizon_days`.
std::vector<ConsumableForecast> ForecastConsumables(
    const ModelSnapshot& snapshot, int32_t customer_row, absl::Time as_of,
    double horizon_days, const RepurchaseStatusOptions& options = {});

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_NEXT_PURCHASE_H_
