#include "recommender/timing/next_purchase.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/snapshot_lifetime_model.h"
#include "recommender/util/time_util.h"

namespace recommender {
namespace {

absl::Time AfterDays(int64_t unix_seconds, double days) {
  return absl::FromUnixSeconds(unix_seconds) + absl::Seconds(days * 86400);
}

std::string Days(double days) {
  const int64_t rounded = std::llround(days);
  if (rounded == 0) return "today";
  return absl::StrCat(rounded, rounded == 1 ? " day" : " days", " ago");
}

// "re-bought about every 30 days; last bought 27 days ago". After a
// multi-unit purchase the interval per unit is given and the units named:
// "...; last bought 40 days ago, 2 of them".
std::string Explain(const IntervalForecast& f, IntervalSource source,
                    double quantity_exponent) {
  std::string last =
      f.elapsed_days < 0.5 ? "last bought today"
                           : absl::StrCat("last bought ", Days(f.elapsed_days));
  double typical = f.TypicalDays();
  if (f.last_quantity > 1) {
    typical /= std::pow(f.last_quantity, quantity_exponent);
    absl::StrAppend(&last, ", ", f.last_quantity, " of them");
  }
  const int64_t every = std::max<int64_t>(1, std::llround(typical));
  return absl::StrCat(source == IntervalSource::kCustomer ? "re-bought"
                                                          : "usually re-bought",
                      " about every ", every, every == 1 ? " day; " : " days; ",
                      last);
}

IntervalSource SourceOf(const IntervalForecast& f,
                        const snapshot::ItemRepurchase& item) {
  if (f.own_intervals > 0) return IntervalSource::kCustomer;
  switch (item.basis()) {
    case snapshot::CATEGORY:
      return IntervalSource::kCategory;
    case snapshot::SHOP:
      return IntervalSource::kShop;
    default:
      return IntervalSource::kItem;
  }
}

// The customer's orders up to as_of in the model's time unit.
std::optional<CustomerRfm> Summary(const ModelSnapshot& snapshot,
                                   int32_t customer_row, absl::Time as_of,
                                   double days_per_unit) {
  const snapshot::Customer& c = snapshot.customer(customer_row);
  const int32_t offset = snapshot.timing().utc_offset_seconds();
  std::vector<DatedPurchase> purchases;
  for (int k = 0; k < c.purchased_items_size(); ++k) {
    const int32_t units =
        c.purchase_quantities_size() > k ? c.purchase_quantities(k) : 1;
    const double price = c.purchase_unit_prices_size() > k
                             ? c.purchase_unit_prices(k)
                             : snapshot.item(c.purchased_items(k)).price();
    purchases.push_back({DayNumber(c.purchase_times(k), offset), units * price});
  }
  return SummarizePurchases(
      purchases, DayNumber(absl::ToUnixSeconds(as_of), offset), days_per_unit);
}

}  // namespace

std::optional<absl::Time> SnapshotDataEnd(const ModelSnapshot& snapshot) {
  absl::StatusOr<absl::Time> end =
      ParseIsoTimestamp(snapshot.manifest().data_end());
  if (!end.ok()) return std::nullopt;
  return *end;
}

const char* RepurchaseStatusName(RepurchaseStatus status) {
  switch (status) {
    case RepurchaseStatus::kNotDue:
      return "not due";
    case RepurchaseStatus::kDueSoon:
      return "due soon";
    case RepurchaseStatus::kOverdue:
      return "overdue";
    case RepurchaseStatus::kLapsed:
      return "lapsed";
  }
  return "unknown";
}

std::vector<ConsumablePurchase> ConsumablePurchases(
    const ModelSnapshot& snapshot, int32_t customer_row) {
  const snapshot::RepurchaseModel& model = snapshot.timing().repurchase();
  const snapshot::Customer& c = snapshot.customer(customer_row);
  std::vector<ConsumablePurchase> purchases;
  for (int k = 0; k < c.purchased_items_size(); ++k) {
    const int32_t item = c.purchased_items(k);
    if (item >= model.items_size() || !model.items(item).consumable()) continue;
    purchases.push_back(
        {item, c.purchase_times(k),
         c.purchase_quantities_size() > k ? c.purchase_quantities(k) : 1});
  }
  return purchases;
}

double ProbabilityActive(const ModelSnapshot& snapshot, int32_t customer_row,
                         absl::Time as_of) {
  const std::optional<CustomerLifetimeModel> model = LifetimeModelOf(snapshot);
  if (!model.has_value()) return 1;
  const std::optional<CustomerRfm> rfm =
      Summary(snapshot, customer_row, as_of, model->days_per_unit);
  if (!rfm.has_value()) return 1;
  return BgNbdProbabilityAlive(model->bg_nbd, *rfm);
}

std::vector<ConsumableForecast> ForecastConsumables(
    const ModelSnapshot& snapshot, int32_t customer_row, absl::Time as_of,
    double horizon_days, const RepurchaseStatusOptions& options) {
  const snapshot::RepurchaseModel& model = snapshot.timing().repurchase();
  if (model.items_size() == 0) return {};
  const std::vector<ConsumablePurchase> purchases =
      ConsumablePurchases(snapshot, customer_row);
  if (purchases.empty()) return {};
  const double active = ProbabilityActive(snapshot, customer_row, as_of);
  std::vector<ConsumableForecast> forecasts;
  for (const IntervalForecast& f : ForecastRepurchases(
           model, purchases, absl::ToUnixSeconds(as_of))) {
    ConsumableForecast out;
    out.item = f.item;
    out.interval = f;
    out.last_purchase = absl::FromUnixSeconds(f.last_purchase_seconds);
    out.due = AfterDays(f.last_purchase_seconds, f.TypicalDays());
    out.predicted =
        AfterDays(f.last_purchase_seconds, f.ConditionalQuantileDays(0.5));
    out.earliest =
        AfterDays(f.last_purchase_seconds, f.ConditionalQuantileDays(0.1));
    out.latest =
        AfterDays(f.last_purchase_seconds, f.ConditionalQuantileDays(0.9));
    out.probability_within_horizon = active * f.ProbabilityWithin(horizon_days);
    if (f.elapsed_days > options.lapsed_multiple * f.QuantileDays(0.9)) {
      out.status = RepurchaseStatus::kLapsed;
    } else if (f.elapsed_days > f.TypicalDays()) {
      out.status = RepurchaseStatus::kOverdue;
    } else if (f.TypicalDays() - f.elapsed_days <= options.due_soon_days) {
      out.status = RepurchaseStatus::kDueSoon;
    } else {
      out.status = RepurchaseStatus::kNotDue;
    }
    out.source = SourceOf(f, model.items(f.item));
    out.explanation = Explain(f, out.source, model.quantity_exponent());
    forecasts.push_back(std::move(out));
  }
  std::stable_sort(forecasts.begin(), forecasts.end(),
                   [](const ConsumableForecast& a, const ConsumableForecast& b) {
                     return a.due < b.due;
                   });
  return forecasts;
}

absl::StatusOr<NextPurchasePrediction> PredictNextPurchase(
    const ModelSnapshot& snapshot, int32_t customer_row, absl::Time as_of,
    double horizon_days, double annual_discount_rate,
    const RepurchaseStatusOptions& options) {
  if (!(horizon_days > 0 && horizon_days <= 3650)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "horizon_days: must be between 1 and 3650, got ", horizon_days));
  }
  if (!(annual_discount_rate >= 0 && annual_discount_rate <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("annual_discount_rate: must be between 0 and 1, got ",
                     annual_discount_rate));
  }
  NextPurchasePrediction prediction;
  if (const std::optional<CustomerLifetimeModel> model =
          LifetimeModelOf(snapshot);
      model.has_value()) {
    if (const std::optional<CustomerRfm> rfm =
            Summary(snapshot, customer_row, as_of, model->days_per_unit);
        rfm.has_value()) {
      absl::StatusOr<CustomerLifetimeFigures> figures = PredictCustomerLifetime(
          *model, *rfm, horizon_days, annual_discount_rate);
      if (!figures.ok()) return figures.status();
      prediction.lifetime = *figures;
    }
  }
  prediction.consumables =
      ForecastConsumables(snapshot, customer_row, as_of, horizon_days, options);
  return prediction;
}

}  // namespace recommender
