#include "recommender/timing/repurchase_model.h"

#include <algorithm>
#include <cmath>

#include "recommender/timing/special_functions.h"

namespace recommender {
namespace {

// Residuals beyond this many item standard deviations are clipped.
constexpr double kClip = 2.5;
constexpr int kBackfittingRounds = 4;

bool Known(const snapshot::RepurchaseModel& model, int32_t item) {
  return item >= 0 && item < model.items_size() &&
         model.items(item).consumable() && model.items(item).log_sd() > 0;
}

double Precision(double sd) { return sd > 0 ? 1 / (sd * sd) : 0; }

// Accumulates precision-weighted residuals for one effect.
struct Accumulator {
  double weighted_sum = 0;
  double weight = 0;
  Effect Posterior(double prior_precision) const {
    const double total = weight + prior_precision;
    if (total <= 0) return {};
    return {weighted_sum / total, 1 / total};
  }
};

}  // namespace

CustomerEffects EstimateCustomerEffects(
    const snapshot::RepurchaseModel& model,
    absl::Span<const RepurchaseInterval> intervals) {
  CustomerEffects effects;
  const double customer_prior = Precision(model.customer_sd());
  const double category_prior = Precision(model.customer_category_sd());
  const double item_prior = Precision(model.customer_item_sd());
  // Residual of each interval against the population mean.
  struct Point {
    int32_t item;
    int32_t category;
    double residual;
    double sd;
  };
  std::vector<Point> points;
  for (const RepurchaseInterval& interval : intervals) {
    if (!Known(model, interval.item)) continue;
    const snapshot::ItemRepurchase& item = model.items(interval.item);
    points.push_back({interval.item, item.category_group(),
                      interval.log_days - item.log_mean() -
                          model.quantity_exponent() * interval.log_quantity,
                      item.log_sd()});
  }
  if (points.empty()) return effects;
  // Huber-style: a residual counts at most kClip spreads away from the
  // effect's current estimate.
  auto clipped = [](double r, double current, double sd) {
    return current + std::clamp(r - current, -kClip * sd, kClip * sd);
  };
  // With no prior (sd 0) an effect is held at 0.
  for (int round = 0; round < kBackfittingRounds; ++round) {
    if (customer_prior > 0) {
      Accumulator sum;
      for (const Point& p : points) {
        const double r = p.residual - effects.category[p.category].mean -
                         effects.item[p.item].mean;
        sum.weighted_sum +=
            clipped(r, effects.customer.mean, p.sd) * Precision(p.sd);
        sum.weight += Precision(p.sd);
      }
      effects.customer = sum.Posterior(customer_prior);
    }
    if (category_prior > 0) {
      absl::flat_hash_map<int32_t, Accumulator> sums;
      for (const Point& p : points) {
        const double r = p.residual - effects.customer.mean -
                         effects.item[p.item].mean;
        Accumulator& sum = sums[p.category];
        sum.weighted_sum += clipped(r, effects.category[p.category].mean, p.sd) *
                            Precision(p.sd);
        sum.weight += Precision(p.sd);
      }
      for (const auto& [category, sum] : sums) {
        effects.category[category] = sum.Posterior(category_prior);
      }
    }
    if (item_prior > 0) {
      absl::flat_hash_map<int32_t, Accumulator> sums;
      for (const Point& p : points) {
        const double r = p.residual - effects.customer.mean -
                         effects.category[p.category].mean;
        Accumulator& sum = sums[p.item];
        sum.weighted_sum +=
            clipped(r, effects.item[p.item].mean, p.sd) * Precision(p.sd);
        sum.weight += Precision(p.sd);
      }
      for (const auto& [item, sum] : sums) {
        effects.item[item] = sum.Posterior(item_prior);
      }
    }
  }
  return effects;
}

double IntervalForecast::TypicalDays() const { return std::exp(log_mean); }

double IntervalForecast::QuantileDays(double q) const {
  return std::exp(log_mean + log_sd * NormalQuantile(q));
}

double IntervalForecast::ConditionalQuantileDays(double q) const {
  if (elapsed_days <= 0) return QuantileDays(q);
  const double survived =
      NormalCdf((std::log(elapsed_days) - log_mean) / log_sd);
  const double target = survived + q * (1 - survived);
  if (target >= 1) return elapsed_days;  // Far in the tail: any time now.
  return std::max(elapsed_days,
                  std::exp(log_mean + log_sd * NormalQuantile(target)));
}

double IntervalForecast::ProbabilityWithin(double days) const {
  if (days <= 0) return 0;
  const auto cdf = [&](double t) {
    return t <= 0 ? 0.0 : NormalCdf((std::log(t) - log_mean) / log_sd);
  };
  const double survived = 1 - cdf(elapsed_days);
  if (survived <= 1e-300) return 0;
  return std::clamp((cdf(elapsed_days + days) - cdf(elapsed_days)) / survived,
                    0.0, 1.0);
}

std::vector<IntervalForecast> ForecastRepurchases(
    const snapshot::RepurchaseModel& model,
    absl::Span<const ConsumablePurchase> purchases, int64_t as_of_seconds) {
  std::vector<ItemHistory> histories = GroupByItem(purchases, as_of_seconds);
  histories.erase(std::remove_if(histories.begin(), histories.end(),
                                 [&](const ItemHistory& h) {
                                   return !Known(model, h.item);
                                 }),
                  histories.end());
  const std::vector<RepurchaseInterval> intervals = CollectIntervals(histories);
  CustomerEffects effects = EstimateCustomerEffects(model, intervals);
  std::vector<IntervalForecast> forecasts;
  for (const ItemHistory& history : histories) {
    const snapshot::ItemRepurchase& item = model.items(history.item);
    const ConsumablePurchase& last = history.purchases.back();
    const Effect& category = effects.category[item.category_group()];
    const Effect& own = effects.item[history.item];
    IntervalForecast f;
    f.item = history.item;
    f.times_bought = static_cast<int32_t>(history.purchases.size());
    f.own_intervals = f.times_bought - 1;
    f.last_purchase_seconds = last.unix_seconds;
    f.last_quantity = last.quantity;
    f.elapsed_days =
        static_cast<double>(as_of_seconds - last.unix_seconds) / 86400.0;
    f.log_mean = item.log_mean() +
                 model.quantity_exponent() *
                     std::log(static_cast<double>(last.quantity)) +
                 effects.customer.mean + category.mean + own.mean;
    f.log_sd = std::sqrt(item.log_sd() * item.log_sd() +
                         effects.customer.variance + category.variance +
                         own.variance);
    // Effects never estimated carry their whole prior uncertainty.
    if (effects.customer.variance == 0) {
      f.log_sd = std::hypot(f.log_sd, model.customer_sd());
    }
    if (category.variance == 0) {
      f.log_sd = std::hypot(f.log_sd, model.customer_category_sd());
    }
    if (own.variance == 0) {
      f.log_sd = std::hypot(f.log_sd, model.customer_item_sd());
    }
    forecasts.push_back(f);
  }
  return forecasts;
}

}  // namespace recommender
