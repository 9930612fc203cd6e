// Chooses the customers of a mail campaign (BatchRecommend) by what they
// did: everyone, those who have not bought for a while (lapsed), or those
// active lately — over the snapshot's history and the live events since.
//
// Thread-safe: reads LiveState under its locks; no state of its own.
#ifndef RECOMMENDER_LIVE_CUSTOMER_SELECTOR_H_
#define RECOMMENDER_LIVE_CUSTOMER_SELECTOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"

namespace recommender {

inline constexpr int kMaxSelectorDays = 3650;
inline constexpr int kMaxBatchCustomers = 100000;

struct CustomerSelection {
  enum class Kind {
    kAll,     // Every customer.
    kLapsed,  // Bought before, but the last purchase is >= `days` before as_of.
    kActive,  // Some event at or after `days` before as_of.
  };
  Kind kind = Kind::kAll;
  int days = 0;
  absl::Time as_of;
};

// Checks `days` (1 to kMaxSelectorDays for kLapsed and kActive) and parses
// `as_of` (ISO 8601; empty means `now`). InvalidArgument naming
// "selector.days" or "selector.as_of".
absl::StatusOr<CustomerSelection> MakeCustomerSelection(
    CustomerSelection::Kind kind, int days, const std::string& as_of,
    absl::Time now);

// Checks an explicit list of customer ids (1 to kMaxBatchCustomers ids,
// each a valid id) and drops repeats, keeping the first. InvalidArgument
// naming "customer_list.customer_ids[i]".
absl::StatusOr<std::vector<std::string>> ValidateCustomerList(
    const std::vector<std::string>& customer_ids);

// The chosen customer ids (erased customers never): the snapshot's in table
// order, then customers known only from live events (sequence > the
// snapshot's), by id. `live` may be null.
std::vector<std::string> SelectCustomers(const ModelSnapshot& snapshot,
                                         const LiveState* live,
                                         const CustomerSelection& selection);

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_CUSTOMER_SELECTOR_H_
