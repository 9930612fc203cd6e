#include "training/trainer/erased_rows.h"

#include <algorithm>
#include <vector>

#include "recommender/erasure/erased_customers.h"

namespace recommender {

ErasedRows DropErasedCustomers(const absl::flat_hash_set<std::string>& erased_keys,
                               ShopData* data) {
  ErasedRows dropped;
  if (erased_keys.empty()) return dropped;
  std::vector<int32_t> new_row(data->customers.size(), -1);
  std::vector<CustomerRecord> kept;
  std::vector<std::string> removed_ids;
  kept.reserve(data->customers.size());
  for (size_t row = 0; row < data->customers.size(); ++row) {
    CustomerRecord& customer = data->customers[row];
    if (erased_keys.contains(ErasureKey(customer.id))) {
      removed_ids.push_back(std::move(customer.id));
      continue;
    }
    new_row[row] = static_cast<int32_t>(kept.size());
    kept.push_back(std::move(customer));
  }
  dropped.customers = static_cast<int64_t>(removed_ids.size());
  if (removed_ids.empty()) return dropped;
  data->customers = std::move(kept);
  data->customer_rows = IndexIds(data->customers);
  const size_t before = data->events.size();
  std::vector<Event> events;
  events.reserve(before);
  for (Event event : data->events) {
    const int32_t row = new_row[event.customer];
    if (row < 0) continue;
    event.customer = row;
    events.push_back(event);
  }
  data->events = std::move(events);
  dropped.events = static_cast<int64_t>(before - data->events.size());
  for (FileLoadReport& report : data->reports) {
    auto& errors = report.sample_errors;
    const size_t errors_before = errors.size();
    errors.erase(std::remove_if(errors.begin(), errors.end(),
                                [&removed_ids](const std::string& error) {
                                  return std::any_of(
                                      removed_ids.begin(), removed_ids.end(),
                                      [&error](const std::string& id) {
                                        return error.find(id) !=
                                               std::string::npos;
                                      });
                                }),
                 errors.end());
    dropped.sample_errors += static_cast<int64_t>(errors_before - errors.size());
  }
  return dropped;
}

}  // namespace recommender
