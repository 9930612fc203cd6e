#include "serving/timing_conversions.h"

#include "recommender/util/time_util.h"

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

}  // namespace recommender::serving
