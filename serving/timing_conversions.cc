#include "serving/timing_conversions.h"

#include "recommender/util/time_util.h"
#include "serving/as_of.h"

namespace recommender::serving {
namespace {

v1::IntervalBasis ToProto(IntervalSource source) {
  switch (source) {
    case IntervalSource::kCustomer:
      return v1::CUSTOMER_HISTORY;
    case IntervalSource::kItem:
      return v1::ITEM_HISTORY;
    case IntervalSource::kCategory:
      return v1::CATEGORY_HISTORY;
    case IntervalSource::kShop:
      return v1::SHOP_HISTORY;
  }
  return v1::INTERVAL_BASIS_UNSPECIFIED;
}

}  // namespace

v1::RepurchaseStatus ToProto(RepurchaseStatus status) {
  switch (status) {
    case RepurchaseStatus::kNotDue:
      return v1::NOT_DUE;
    case RepurchaseStatus::kDueSoon:
      return v1::DUE_SOON;
    case RepurchaseStatus::kOverdue:
      return v1::OVERDUE;
    case RepurchaseStatus::kLapsed:
      return v1::LAPSED;
  }
  return v1::REPURCHASE_STATUS_UNSPECIFIED;
}

void ToProto(const ModelSnapshot& snapshot, const ConsumableForecast& f,
             v1::ConsumableForecast* out) {
  const snapshot::Item& item = snapshot.item(f.item);
  out->set_item_id(item.id());
  out->set_title(item.title());
  out->set_category(item.category());
  out->set_last_purchased_at(FormatRfc3339Utc(f.last_purchase));
  out->set_times_bought(f.interval.times_bought);
  out->set_typical_interval_days(f.interval.TypicalDays());
  out->set_due_at(FormatRfc3339Utc(f.due));
  out->set_predicted_at(FormatRfc3339Utc(f.predicted));
  out->set_earliest_at(FormatRfc3339Utc(f.earliest));
  out->set_latest_at(FormatRfc3339Utc(f.latest));
  out->set_probability_within_horizon(f.probability_within_horizon);
  out->set_status(ToProto(f.status));
  out->set_basis(ToProto(f.source));
  out->set_explanation(f.explanation);
}

void ToProto(const CustomerLifetimeFigures& f, v1::CustomerLifetime* out) {
  out->set_probability_active(f.probability_active);
  out->set_expected_orders(f.expected_orders);
  out->set_probability_order(f.probability_order);
  out->set_expected_order_value(f.expected_order_value);
  out->set_expected_spend(f.expected_orders * f.expected_order_value);
  out->set_lifetime_value(f.lifetime_value);
}

int32_t HorizonDays(const v1::PredictNextPurchaseRequest& request) {
  return request.horizon_days() == 0 ? kDefaultHorizonDays
                                     : request.horizon_days();
}

absl::StatusOr<DueSelection> FromProto(const v1::ListDueCustomersRequest& request,
                                       absl::Time as_of) {
  DueSelection selection;
  absl::StatusOr<absl::CivilDay> from =
      ParseDayField("due_from", request.due_from());
  if (!from.ok()) return from.status();
  absl::StatusOr<absl::CivilDay> to = ParseDayField("due_to", request.due_to());
  if (!to.ok()) return to.status();
  selection.as_of = as_of;
  selection.due_from = *from;
  selection.due_to = *to;
  selection.categories.assign(request.categories().begin(),
                              request.categories().end());
  selection.min_probability_active = request.min_probability_active();
  selection.include_lapsed = request.include_lapsed();
  selection.max_customers = request.max_customers() == 0
                                ? kDefaultMaxDueCustomers
                                : request.max_customers();
  return selection;
}

void ToProto(const ModelSnapshot& snapshot,
             const NextPurchasePrediction& prediction,
             v1::PredictNextPurchaseResponse* out) {
  if (prediction.lifetime.has_value()) {
    ToProto(*prediction.lifetime, out->mutable_customer());
  }
  for (const ConsumableForecast& forecast : prediction.consumables) {
    ToProto(snapshot, forecast, out->add_consumables());
  }
}

void ToProto(const ModelSnapshot& snapshot, const DueCustomers& due,
             v1::ListDueCustomersResponse* out) {
  for (const DueCustomer& customer : due.customers) {
    v1::DueCustomer* added = out->add_customers();
    added->set_customer_id(snapshot.customer(customer.customer).id());
    added->set_probability_active(customer.probability_active);
    for (const ConsumableForecast& forecast : customer.due) {
      ToProto(snapshot, forecast, added->add_due());
    }
  }
  out->set_total_matching(static_cast<int32_t>(due.total_matching));
}

}  // namespace recommender::serving
