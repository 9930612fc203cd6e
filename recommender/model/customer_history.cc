#include "recommender/model/customer_history.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/quote.h"

namespace recommender {

absl::StatusOr<int32_t> RequireCustomer(const ModelSnapshot& snapshot,
                                        absl::string_view customer_id) {
  if (customer_id.empty()) {
    return absl::InvalidArgumentError("customer_id: must not be empty");
  }
  if (absl::Status id = ValidateId(customer_id); !id.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer_id: ", id.message()));
  }
  const std::optional<int32_t> row = snapshot.FindCustomer(customer_id);
  if (!row.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("customer_id: unknown customer ", Quote(customer_id)));
  }
  return *row;
}

absl::StatusOr<std::vector<PastPurchase>> RecentPurchases(
    const ModelSnapshot& snapshot, absl::string_view customer_id,
    int max_purchases) {
  if (max_purchases < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_purchases: must be >= 0, got ", max_purchases));
  }
  absl::StatusOr<int32_t> row = RequireCustomer(snapshot, customer_id);
  if (!row.ok()) return row.status();
  // The snapshot keeps purchases in time order, oldest first.
  const snapshot::Customer& customer = snapshot.customer(*row);
  const int total = customer.purchased_items_size();
  const int wanted =
      max_purchases == 0 ? total : std::min(total, max_purchases);
  std::vector<PastPurchase> purchases;
  purchases.reserve(wanted);
  for (int k = total - 1; k >= total - wanted; --k) {
    purchases.push_back({customer.purchased_items(k),
                         absl::FromUnixSeconds(customer.purchase_times(k))});
  }
  return purchases;
}

}  // namespace recommender
