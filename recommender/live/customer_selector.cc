#include "recommender/live/customer_selector.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

bool Chosen(const CustomerSelection& selection, int64_t last_purchase,
            int64_t last_event) {
  const int64_t cutoff = absl::ToUnixSeconds(selection.as_of) -
                         int64_t{selection.days} * kSecondsPerDay;
  switch (selection.kind) {
    case CustomerSelection::Kind::kAll:
      return true;
    case CustomerSelection::Kind::kLapsed:
      return last_purchase > 0 && last_purchase <= cutoff;
    case CustomerSelection::Kind::kActive:
      return last_event > 0 && last_event >= cutoff;
  }
  return false;
}

}  // namespace

absl::StatusOr<CustomerSelection> MakeCustomerSelection(
    CustomerSelection::Kind kind, int days, const std::string& as_of,
    absl::Time now) {
  CustomerSelection selection;
  selection.kind = kind;
  selection.days = days;
  selection.as_of = now;
  if (kind != CustomerSelection::Kind::kAll &&
      (days < 1 || days > kMaxSelectorDays)) {
    return absl::InvalidArgumentError(
        absl::StrCat("selector.days: must be 1 to ", kMaxSelectorDays,
                     ", got ", days));
  }
  if (!as_of.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseApiTimestamp(as_of);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("selector.as_of: ", parsed.status().message()));
    }
    selection.as_of = *parsed;
  }
  return selection;
}

absl::StatusOr<std::vector<std::string>> ValidateCustomerList(
    const std::vector<std::string>& customer_ids) {
  if (customer_ids.empty() || customer_ids.size() > kMaxBatchCustomers) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer_list.customer_ids: must hold 1 to ",
                     kMaxBatchCustomers, " ids, got ", customer_ids.size()));
  }
  std::vector<std::string> unique;
  absl::flat_hash_set<absl::string_view> seen;
  for (size_t i = 0; i < customer_ids.size(); ++i) {
    if (absl::Status id = ValidateId(customer_ids[i]); !id.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "customer_list.customer_ids[", i, "]: ", id.message()));
    }
    if (seen.insert(customer_ids[i]).second) unique.push_back(customer_ids[i]);
  }
  return unique;
}

std::vector<std::string> SelectCustomers(const ModelSnapshot& snapshot,
                                         const LiveState* live,
                                         const CustomerSelection& selection) {
  absl::flat_hash_map<std::string, LiveState::CustomerActivity> recent;
  std::vector<LiveState::CustomerActivity> activity;
  if (live != nullptr) {
    activity = live->Activity(snapshot.manifest().event_log_sequence());
    for (const LiveState::CustomerActivity& customer : activity) {
      recent.emplace(customer.customer_id, customer);
    }
  }
  std::vector<std::string> chosen;
  for (int32_t row = 0; row < snapshot.num_customers(); ++row) {
    if (snapshot.customer_erased(row)) continue;
    const snapshot::Customer& customer = snapshot.customer(row);
    int64_t last_purchase =
        customer.purchase_times().empty()
            ? 0
            : *std::max_element(customer.purchase_times().begin(),
                                customer.purchase_times().end());
    int64_t last_event = customer.last_event_time();
    if (auto it = recent.find(customer.id()); it != recent.end()) {
      last_purchase = std::max(last_purchase, it->second.last_purchase);
      last_event = std::max(last_event, it->second.last_event);
      recent.erase(it);
    }
    if (Chosen(selection, last_purchase, last_event)) {
      chosen.push_back(customer.id());
    }
  }
  // Customers the snapshot does not know, in id order.
  for (const LiveState::CustomerActivity& customer : activity) {
    if (!recent.contains(customer.customer_id)) continue;
    if (Chosen(selection, customer.last_purchase, customer.last_event)) {
      chosen.push_back(customer.customer_id);
    }
  }
  return chosen;
}

}  // namespace recommender
