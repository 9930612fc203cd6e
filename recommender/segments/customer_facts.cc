#include "recommender/segments/customer_facts.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "recommender/segments/lifetime_value.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/snapshot_lifetime_model.h"
#include "recommender/util/time_util.h"

namespace recommender::segments {
namespace {

// One customer's purchases reduced to orders: what the columns and the
// lifetime model need.
struct OrderSummary {
  int32_t orders = 0;
  double revenue = 0;
  int64_t first_day = 0;
  double first_day_value = 0;
  int64_t last_day = 0;
};

// `purchases` (day, value) are sorted here if they are not already.
OrderSummary Summarize(std::vector<DatedPurchase>* purchases) {
  OrderSummary s;
  if (purchases->empty()) return s;
  if (!std::is_sorted(purchases->begin(), purchases->end(),
                      [](const DatedPurchase& a, const DatedPurchase& b) {
                        return a.day < b.day;
                      })) {
    std::sort(purchases->begin(), purchases->end(),
              [](const DatedPurchase& a, const DatedPurchase& b) {
                return a.day < b.day;
              });
  }
  s.first_day = purchases->front().day;
  s.last_day = purchases->back().day;
  int64_t day = CustomerFacts::kNever;
  for (const DatedPurchase& p : *purchases) {
    if (p.day != day) {
      ++s.orders;
      day = p.day;
    }
    s.revenue += p.value;
    if (p.day == s.first_day) s.first_day_value += p.value;
  }
  return s;
}

}  // namespace

absl::string_view AttributeName(Attribute attribute) {
  switch (attribute) {
    case Attribute::kAgeBand:
      return "age_band";
    case Attribute::kGender:
      return "gender";
    case Attribute::kRegion:
      return "region";
  }
  return "";
}

CustomerFacts::CustomerFacts(std::shared_ptr<const ModelSnapshot> snapshot,
                             absl::Time as_of, int64_t as_of_day)
    : snapshot_(std::move(snapshot)), as_of_(as_of), as_of_day_(as_of_day) {
  for (std::vector<std::string>& values : attribute_values_) {
    values.push_back("");
  }
}

absl::string_view CustomerFacts::id(int32_t c) const {
  const int32_t known = snapshot_->num_customers();
  if (c < known) return snapshot_->customer(c).id();
  return later_ids_[c - known];
}

uint32_t CustomerFacts::Code(Attribute attribute, absl::string_view value) {
  if (value.empty()) return 0;
  std::vector<std::string>& values =
      attribute_values_[static_cast<int>(attribute)];
  // Few distinct values (age bands, genders, regions): a linear scan over
  // the newest first is cheaper than hashing for the common case.
  for (size_t k = values.size(); k-- > 1;) {
    if (values[k] == value) return static_cast<uint32_t>(k);
  }
  values.emplace_back(value);
  return static_cast<uint32_t>(values.size() - 1);
}

absl::StatusOr<std::unique_ptr<const CustomerFacts>> CustomerFacts::Build(
    std::shared_ptr<const ModelSnapshot> snapshot,
    const CustomerFactsOptions& options,
    absl::Span<const LaterActivity> later) {
  if (!(options.lifetime_horizon_days > 0 &&
        options.lifetime_horizon_days <= 3650)) {
    return absl::InvalidArgumentError(
        absl::StrCat("lifetime_horizon_days: must be in (0, 3650], got ",
                     options.lifetime_horizon_days));
  }
  const ModelSnapshot& shop = *snapshot;
  const int32_t offset = shop.timing().utc_offset_seconds();
  const int64_t as_of_seconds = absl::ToUnixSeconds(options.as_of);
  std::unique_ptr<CustomerFacts> facts(new CustomerFacts(
      snapshot, options.as_of, DayNumber(as_of_seconds, offset)));

  // Later activity per customer; new customers get rows after the
  // snapshot's, by id.
  absl::flat_hash_map<absl::string_view, std::vector<const LaterActivity*>>
      later_of;
  for (size_t i = 0; i < later.size(); ++i) {
    if (later[i].customer_id.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("later[", i, "].customer_id: must not be empty"));
    }
    if (later[i].unix_seconds > as_of_seconds) continue;
    later_of[later[i].customer_id].push_back(&later[i]);
  }
  for (const auto& [id, activity] : later_of) {
    if (!shop.FindCustomer(id).has_value()) facts->later_ids_.emplace_back(id);
  }
  std::sort(facts->later_ids_.begin(), facts->later_ids_.end());

  const size_t n = static_cast<size_t>(shop.num_customers()) +
                   facts->later_ids_.size();
  facts->orders_.resize(n);
  facts->revenue_.resize(n);
  facts->last_purchase_day_.resize(n);
  facts->last_purchase_.resize(n);
  facts->last_event_.resize(n);
  facts->lifetime_value_.assign(n, NAN);
  for (std::vector<uint32_t>& codes : facts->attribute_codes_) codes.resize(n);

  const std::optional<CustomerLifetimeModel> model = LifetimeModelOf(shop);
  facts->has_lifetime_value_ = model.has_value();
  std::vector<DatedPurchase> purchases;
  for (size_t c = 0; c < n; ++c) {
    purchases.clear();
    int64_t last_purchase = 0, last_event = 0;
    const std::vector<const LaterActivity*>* activity = nullptr;
    if (c < static_cast<size_t>(shop.num_customers())) {
      const snapshot::Customer& customer = shop.customer(static_cast<int32_t>(c));
      for (int k = 0; k < customer.purchased_items_size(); ++k) {
        const int64_t t = customer.purchase_times(k);
        if (t > as_of_seconds) continue;
        const int32_t units = customer.purchase_quantities_size() > k
                                  ? customer.purchase_quantities(k)
                                  : 1;
        const double price =
            customer.purchase_unit_prices_size() > k
                ? customer.purchase_unit_prices(k)
                : shop.item(customer.purchased_items(k)).price();
        purchases.push_back({DayNumber(t, offset), units * price});
        last_purchase = std::max(last_purchase, t);
      }
      // The snapshot keeps only the newest event; one after as_of hides
      // the ones before it, so the newest purchase stands in.
      last_event = customer.last_event_time() <= as_of_seconds
                       ? customer.last_event_time()
                       : last_purchase;
      facts->attribute_codes_[0][c] = facts->Code(Attribute::kAgeBand, customer.age_band());
      facts->attribute_codes_[1][c] = facts->Code(Attribute::kGender, customer.gender());
      facts->attribute_codes_[2][c] = facts->Code(Attribute::kRegion, customer.region());
      if (!later_of.empty()) {
        auto it = later_of.find(customer.id());
        if (it != later_of.end()) activity = &it->second;
      }
    } else {
      activity = &later_of.find(facts->id(static_cast<int32_t>(c)))->second;
    }
    if (activity != nullptr) {
      for (const LaterActivity* a : *activity) {
        last_event = std::max(last_event, a->unix_seconds);
        if (a->purchase) {
          purchases.push_back({DayNumber(a->unix_seconds, offset), a->value});
          last_purchase = std::max(last_purchase, a->unix_seconds);
        }
        for (int k = 0; k < kNumAttributes; ++k) {
          const std::string& value =
              k == 0 ? a->age_band : (k == 1 ? a->gender : a->region);
          if (!value.empty()) {
            facts->attribute_codes_[k][c] =
                facts->Code(static_cast<Attribute>(k), value);
          }
        }
      }
    }
    const OrderSummary s = Summarize(&purchases);
    facts->orders_[c] = s.orders;
    facts->revenue_[c] = s.revenue;
    facts->last_purchase_day_[c] = s.orders > 0 ? s.last_day : kNever;
    facts->last_purchase_[c] = last_purchase;
    facts->last_event_[c] = last_event;
    if (model.has_value() && s.orders > 0) {
      CustomerRfm rfm;
      rfm.frequency = s.orders - 1;
      rfm.recency = static_cast<double>(s.last_day - s.first_day) /
                    model->days_per_unit;
      rfm.age = static_cast<double>(facts->as_of_day_ - s.first_day) /
                model->days_per_unit;
      if (s.orders > 1) {
        rfm.mean_repeat_value = (s.revenue - s.first_day_value) / (s.orders - 1);
      }
      absl::StatusOr<double> value =
          LifetimeValue(*model, rfm, options.lifetime_horizon_days);
      if (value.ok()) facts->lifetime_value_[c] = static_cast<float>(*value);
    }
  }
  return std::unique_ptr<const CustomerFacts>(std::move(facts));
}

}  // namespace recommender::segments
