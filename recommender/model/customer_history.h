// A customer's purchase history as the model snapshot recorded it: what
// GetCustomerHistory answers, and the customer lookup the per-customer
// calls share (with errors naming the request's customer_id field).
//
// Thread-safe: pure functions over an immutable snapshot.
#ifndef RECOMMENDER_MODEL_CUSTOMER_HISTORY_H_
#define RECOMMENDER_MODEL_CUSTOMER_HISTORY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

struct PastPurchase {
  int32_t item = 0;  // Row in the snapshot's item table.
  absl::Time purchased_at;
};

// The snapshot row of `customer_id`. InvalidArgument if it is empty,
// NotFound naming it if the model does not know the customer; both
// messages start with "customer_id: ".
absl::StatusOr<int32_t> RequireCustomer(const ModelSnapshot& snapshot,
                                        absl::string_view customer_id);

// The customer's purchases, most recent first: the newest `max_purchases`
// of them, or all for 0. Errors as RequireCustomer's, and InvalidArgument
// ("max_purchases: ...") for a negative count.
absl::StatusOr<std::vector<PastPurchase>> RecentPurchases(
    const ModelSnapshot& snapshot, absl::string_view customer_id,
    int max_purchases);

}  // namespace recommender

#endif  // RECOMMENDER_MODEL_CUSTOMER_HISTORY_H_
