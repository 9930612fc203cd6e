#include "recommender/timing/due_customers.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/data/field_parsers.h"
#include "recommender/filter/item_filter.h"

namespace recommender {
namespace {

absl::Status Validate(const DueSelection& s) {
  if (s.due_to < s.due_from) {
    return absl::InvalidArgumentError("due_to: must not be before due_from");
  }
  if (s.due_to - s.due_from > 366) {
    return absl::InvalidArgumentError(
        "due_to: the range may span at most 366 days");
  }
  if (s.max_customers < 1 || s.max_customers > kMaxDueCustomers) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_customers: must be between 1 and ", kMaxDueCustomers,
                     ", got ", s.max_customers));
  }
  if (!(s.min_probability_active >= 0 && s.min_probability_active <= 1)) {
    return absl::InvalidArgumentError(
        "min_probability_active: must be between 0 and 1");
  }
  if (s.categories.size() > kMaxDueCategories) {
    return absl::InvalidArgumentError(
        absl::StrCat("categories: at most ", kMaxDueCategories, ", got ",
                     s.categories.size()));
  }
  for (size_t i = 0; i < s.categories.size(); ++i) {
    if (absl::Status valid = ValidateCategoryPath(s.categories[i]); !valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("categories[", i, "]: ", valid.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DueCustomers> SelectDueCustomers(const ModelSnapshot& snapshot,
                                                const DueSelection& selection) {
  if (absl::Status valid = Validate(selection); !valid.ok()) return valid;
  DueCustomers result;
  if (snapshot.timing().repurchase().items_size() == 0) return result;
  const absl::TimeZone zone =
      absl::FixedTimeZone(snapshot.timing().utc_offset_seconds());
  const absl::Time from = absl::FromCivil(selection.due_from, zone);
  const absl::Time to = absl::FromCivil(selection.due_to + 1, zone);
  auto wanted = [&](const ConsumableForecast& f) {
    if (f.due < from || f.due >= to) return false;
    if (f.status == RepurchaseStatus::kLapsed && !selection.include_lapsed) {
      return false;
    }
    if (selection.categories.empty()) return true;
    const std::string& category = snapshot.item(f.item).category();
    return std::any_of(selection.categories.begin(), selection.categories.end(),
                       [&](const std::string& path) {
                         return CategoryIsUnder(category, path);
                       });
  };
  for (int32_t row = 0; row < snapshot.num_customers(); ++row) {
    if (snapshot.customer_erased(row)) continue;
    std::vector<ConsumableForecast> forecasts = ForecastConsumables(
        snapshot, row, selection.as_of, selection.horizon_days);
    forecasts.erase(std::remove_if(forecasts.begin(), forecasts.end(),
                                   [&](const ConsumableForecast& f) {
                                     return !wanted(f);
                                   }),
                    forecasts.end());
    if (forecasts.empty()) continue;
    DueCustomer customer;
    customer.customer = row;
    customer.probability_active =
        ProbabilityActive(snapshot, row, selection.as_of);
    if (customer.probability_active < selection.min_probability_active) {
      continue;
    }
    customer.due = std::move(forecasts);
    result.customers.push_back(std::move(customer));
  }
  result.total_matching = static_cast<int64_t>(result.customers.size());
  std::sort(result.customers.begin(), result.customers.end(),
            [&](const DueCustomer& a, const DueCustomer& b) {
              if (a.due.front().due != b.due.front().due) {
                return a.due.front().due < b.due.front().due;
              }
              return snapshot.customer(a.customer).id() <
                     snapshot.customer(b.customer).id();
            });
  if (static_cast<int>(result.customers.size()) > selection.max_customers) {
    result.customers.resize(selection.max_customers);
  }
  return result;
}

}  // namespace recommender
