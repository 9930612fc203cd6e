#include "training/timing/timing_evaluation.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "recommender/timing/bg_nbd.h"
#include "recommender/timing/customer_rfm.h"
#include "recommender/timing/pareto_nbd.h"
#include "recommender/timing/repurchase_model.h"
#include "recommender/timing/special_functions.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/durability/durability_inference.h"
#include "training/internal/json_output.h"
#include "training/timing/btyd/btyd_fitter.h"
#include "training/timing/repurchase_fitter.h"

namespace recommender {
namespace {

constexpr double kDay = 86400;
// The empirical baselines need this many past intervals longer than the
// time already waited before they trust a conditional frequency.
constexpr int kMinTail = 5;
// Spread of the sample shop generator's own interval noise (log scale).
constexpr double kGeneratorNoise = 0.16;
// The reference's interval for an item that is truly a durable.
constexpr double kNeverDays = 1e6;

// One thing to forecast: its wait so far and what happened after.
struct Case {
  double elapsed_days = 0;  // From the last purchase to the cutoff.
  // From the cutoff to the next purchase, if one came in the test window.
  std::optional<double> actual_days;
};

class Scorer {
 public:
  Scorer(std::string kind, double horizon_days)
      : kind_(std::move(kind)), horizon_days_(horizon_days) {}

  // `interval_days`: predicted days from the last purchase to the next;
  // a next purchase cannot be before the cutoff, so it is clamped there.
  void Add(const Case& c, double interval_days, double probability) {
    ++pairs_;
    const bool happened =
        c.actual_days.has_value() && *c.actual_days <= horizon_days_;
    happened_ += happened;
    brier_sum_ += std::pow(probability - (happened ? 1.0 : 0.0), 2);
    if (!c.actual_days.has_value()) return;
    const double predicted = std::max(0.0, interval_days - c.elapsed_days);
    errors_.push_back(std::abs(predicted - *c.actual_days));
  }

  TimingMetrics Finish() const {
    TimingMetrics m;
    m.kind = kind_;
    m.pairs = pairs_;
    m.rebuying_pairs = static_cast<int64_t>(errors_.size());
    m.bought_within_horizon = happened_;
    if (pairs_ > 0) m.brier = brier_sum_ / pairs_;
    if (!errors_.empty()) {
      double sum = 0;
      for (double e : errors_) sum += e;
      m.mae_days = sum / errors_.size();
      std::vector<double> sorted = errors_;
      std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2,
                       sorted.end());
      m.median_abs_error_days = sorted[sorted.size() / 2];
    }
    return m;
  }

 private:
  std::string kind_;
  double horizon_days_;
  int64_t pairs_ = 0;
  int64_t happened_ = 0;
  double brier_sum_ = 0;
  std::vector<double> errors_;
};

// Past intervals in days, for the naive baselines.
class EmpiricalIntervals {
 public:
  void Add(double days) {
    days_.push_back(days);
    sorted_ = false;
  }
  size_t size() const { return days_.size(); }

  double Median() {
    Sort();
    return days_.empty() ? 0 : days_[days_.size() / 2];
  }

  // The share of past intervals longer than `elapsed` that ended within
  // `horizon` more days; nullopt with fewer than kMinTail such intervals.
  std::optional<double> ConditionalShare(double elapsed, double horizon) {
    Sort();
    const auto longer = std::upper_bound(days_.begin(), days_.end(), elapsed);
    const auto within =
        std::upper_bound(days_.begin(), days_.end(), elapsed + horizon);
    const int64_t tail = days_.end() - longer;
    if (tail < kMinTail) return std::nullopt;
    return static_cast<double>(within - longer) / tail;
  }

 private:
  void Sort() {
    if (!sorted_) std::sort(days_.begin(), days_.end());
    sorted_ = true;
  }
  std::vector<double> days_;
  bool sorted_ = true;
};

// The first of the baselines' interval sets that has data / a trusted
// conditional share.
double MedianOf(std::initializer_list<EmpiricalIntervals*> levels) {
  for (EmpiricalIntervals* level : levels) {
    if (level->size() > 0) return level->Median();
  }
  return 0;
}

double ShareOf(std::initializer_list<EmpiricalIntervals*> levels,
               double elapsed, double horizon) {
  for (EmpiricalIntervals* level : levels) {
    std::optional<double> share = level->ConditionalShare(elapsed, horizon);
    if (share.has_value()) return *share;
  }
  return 0;
}

// Log-normal forecasts of the repurchase model, scored: the conditional
// median as the date, P(within horizon) times P(active).
void AddForecast(Scorer& scorer, const Case& c, const IntervalForecast& f,
                 double horizon_days, double probability_active) {
  scorer.Add(c, f.ConditionalQuantileDays(0.5),
             probability_active * f.ProbabilityWithin(horizon_days));
}

// P(active at the cutoff) per customer id, from BG/NBD fitted on orders
// (calendar days) before the cutoff; 1 for customers it does not know.
// Optionally also from Pareto/NBD, which unlike BG/NBD does not take a
// customer with a single order to be active for sure.
class ActivityModel {
 public:
  static absl::StatusOr<ActivityModel> Fit(const PurchaseLog& log,
                                           int64_t end_day,
                                           double days_per_unit,
                                           bool with_pareto_nbd = false) {
    ActivityModel model;
    std::vector<std::string> ids;
    const std::vector<CustomerRfm> summaries =
        SummarizeLog(log, end_day, days_per_unit, &ids);
    ASSIGN_OR_RETURN(BgNbdFit fit, FitBgNbd(summaries));
    model.parameters_ = fit.parameters;
    model.boundary_ = fit.boundary;
    if (with_pareto_nbd) {
      ASSIGN_OR_RETURN(ParetoNbdFit pareto, FitParetoNbd(summaries));
      model.pareto_ = pareto.parameters;
    }
    for (size_t c = 0; c < ids.size(); ++c) {
      model.customers_.emplace(ids[c], summaries[c]);
    }
    return model;
  }

  double ProbabilityActive(const std::string& id) const {
    auto it = customers_.find(id);
    if (it == customers_.end()) return 1;
    return BgNbdProbabilityAlive(parameters_, it->second);
  }
  // Needs the Pareto/NBD fit; 1 for customers it does not know.
  absl::StatusOr<double> ParetoProbabilityActive(const std::string& id) const {
    auto it = customers_.find(id);
    if (it == customers_.end()) return 1;
    return ParetoNbdProbabilityAlive(pareto_, it->second);
  }
  const BgNbdParameters& parameters() const { return parameters_; }
  BgNbdBoundary boundary() const { return boundary_; }
  const CustomerRfm* Find(const std::string& id) const {
    auto it = customers_.find(id);
    return it == customers_.end() ? nullptr : &it->second;
  }

 private:
  BgNbdParameters parameters_;
  BgNbdBoundary boundary_ = BgNbdBoundary::kNone;
  ParetoNbdParameters pareto_;
  absl::flat_hash_map<std::string, CustomerRfm> customers_;
};

void RecordFit(const snapshot::RepurchaseModel& model, absl::string_view prefix,
               std::map<std::string, double>* fit) {
  (*fit)[absl::StrCat(prefix, "quantity_exponent")] = model.quantity_exponent();
  (*fit)[absl::StrCat(prefix, "customer_sd")] = model.customer_sd();
  (*fit)[absl::StrCat(prefix, "customer_category_sd")] =
      model.customer_category_sd();
  (*fit)[absl::StrCat(prefix, "customer_item_sd")] = model.customer_item_sd();
  (*fit)[absl::StrCat(prefix, "shop_log_sd")] = model.shop_log_sd();
  (*fit)[absl::StrCat(prefix, "intervals")] =
      static_cast<double>(model.num_intervals());
}

absl::Status CheckSplit(const TimingSplit& split) {
  if (!(split.test_end > split.cutoff)) {
    return absl::InvalidArgumentError("the test window must end after the cutoff");
  }
  if (!(split.horizon_days > 0)) {
    return absl::InvalidArgumentError("horizon_days must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

ConsumableItems ConsumablesAtCutoff(const ShopData& data, absl::Time cutoff) {
  const int64_t cutoff_seconds = absl::ToUnixSeconds(cutoff);
  std::vector<Event> before;
  for (const Event& e : data.events) {
    if (e.type == EventType::kPurchase && e.unix_seconds <= cutoff_seconds) {
      before.push_back(e);
    }
  }
  ConsumableItems items;
  const std::vector<InferredDurability> inferred =
      InferDurability(data.items, before);
  for (size_t i = 0; i < data.items.size(); ++i) {
    items.consumable.push_back(inferred[i].durability == Durability::kConsumable);
    if (data.items[i].durability != Durability::kUnknown) {
      ++items.labeled_items;
    } else if (inferred[i].durability == Durability::kConsumable) {
      ++items.inferred_consumables;
    } else if (inferred[i].durability == Durability::kDurable) {
      ++items.inferred_durables;
    } else {
      ++items.unknown_items;
    }
  }
  const int64_t total = static_cast<int64_t>(data.items.size());
  items.source = items.labeled_items == total ? "catalog"
                 : items.labeled_items == 0   ? "inferred"
                                              : "catalog+inferred";
  return items;
}

absl::StatusOr<TimingEvaluation> EvaluateShopTiming(
    const ShopData& data, const TimingSplit& split, const SampleShop* truth) {
  ConsumableItems consumables = ConsumablesAtCutoff(data, split.cutoff);
  ASSIGN_OR_RETURN(
      TimingEvaluation evaluation,
      EvaluateShopTiming(data, consumables.consumable, split, truth));
  evaluation.consumables = std::move(consumables);
  return evaluation;
}

absl::StatusOr<TimingEvaluation> EvaluateShopTiming(
    const ShopData& data, const std::vector<bool>& consumable,
    const TimingSplit& split, const SampleShop* truth) {
  RETURN_IF_ERROR(CheckSplit(split));
  if (consumable.size() != data.items.size()) {
    return absl::InvalidArgumentError("one consumable flag per item needed");
  }
  const int64_t cutoff = absl::ToUnixSeconds(split.cutoff);
  const int64_t test_end = absl::ToUnixSeconds(split.test_end);
  const double horizon = split.horizon_days;
  TimingEvaluation evaluation;
  evaluation.level = "customer_item";
  evaluation.split = split;

  const RepurchaseFitInput input =
      RepurchaseInputFromShop(data, consumable, cutoff);
  ASSIGN_OR_RETURN(const snapshot::RepurchaseModel full,
                   FitRepurchaseModel(input));
  RepurchaseFitOptions population_options;
  population_options.customer_effects = false;
  ASSIGN_OR_RETURN(const snapshot::RepurchaseModel population,
                   FitRepurchaseModel(input, population_options));
  RecordFit(full, "", &evaluation.fit);
  const PurchaseLog log = PurchaseLogFromShop(data, split.utc_offset_seconds);
  ASSIGN_OR_RETURN(
      const ActivityModel activity,
      ActivityModel::Fit(log, DayNumber(cutoff, split.utc_offset_seconds), 1));
  evaluation.fit["bgnbd_r"] = activity.parameters().r;
  evaluation.fit["bgnbd_alpha_days"] = activity.parameters().alpha;
  evaluation.fit["bgnbd_a"] = activity.parameters().a;
  evaluation.fit["bgnbd_b"] = activity.parameters().b;
  evaluation.bgnbd_boundary = BgNbdBoundaryName(activity.boundary());

  // The baselines' intervals: per item, per category, shop-wide.
  std::vector<EmpiricalIntervals> item_intervals(data.items.size());
  absl::flat_hash_map<std::string, EmpiricalIntervals> category_intervals;
  EmpiricalIntervals shop_intervals;
  for (const std::vector<ConsumablePurchase>& purchases : input.customers) {
    std::vector<ConsumablePurchase> bought;
    for (const ConsumablePurchase& p : purchases) {
      if (consumable[p.item]) bought.push_back(p);
    }
    for (const RepurchaseInterval& interval :
         CollectIntervals(GroupByItem(bought, cutoff))) {
      const double days = std::exp(interval.log_days);
      item_intervals[interval.item].Add(days);
      category_intervals[data.items[interval.item].category].Add(days);
      shop_intervals.Add(days);
    }
  }

  Scorer item_median("baseline", horizon), last_interval("baseline", horizon);
  Scorer model("model", horizon), without_activity("model", horizon),
      population_model("model", horizon), true_cycle("reference", horizon);
  for (size_t c = 0; c < data.customers.size(); ++c) {
    std::vector<ConsumablePurchase> bought;
    absl::flat_hash_map<int32_t, double> next_purchase;
    for (const ConsumablePurchase& p : input.customers[c]) {
      if (!consumable[p.item]) continue;
      if (p.unix_seconds <= cutoff) {
        bought.push_back(p);
      } else if (p.unix_seconds <= test_end) {
        const double days = (p.unix_seconds - cutoff) / kDay;
        auto [it, inserted] = next_purchase.emplace(p.item, days);
        if (!inserted) it->second = std::min(it->second, days);
      }
    }
    if (bought.empty()) continue;
    const std::vector<ItemHistory> histories = GroupByItem(bought, cutoff);
    const std::vector<IntervalForecast> full_forecasts =
        ForecastRepurchases(full, bought, cutoff);
    const std::vector<IntervalForecast> population_forecasts =
        ForecastRepurchases(population, bought, cutoff);
    const double active = activity.ProbabilityActive(data.customers[c].id);
    for (size_t h = 0; h < histories.size(); ++h) {
      const ItemHistory& history = histories[h];
      const ConsumablePurchase& last = history.purchases.back();
      Case k;
      k.elapsed_days = (cutoff - last.unix_seconds) / kDay;
      if (auto it = next_purchase.find(history.item); it != next_purchase.end()) {
        k.actual_days = it->second;
      }
      EmpiricalIntervals* item = &item_intervals[history.item];
      EmpiricalIntervals* category =
          &category_intervals[data.items[history.item].category];
      const double median = MedianOf({item, category, &shop_intervals});
      item_median.Add(k, median,
                      ShareOf({item, category, &shop_intervals}, k.elapsed_days,
                              horizon));
      const size_t n = history.purchases.size();
      const double last_gap =
          n >= 2 ? (last.unix_seconds - history.purchases[n - 2].unix_seconds) /
                       kDay
                 : median;
      last_interval.Add(k, last_gap,
                        std::max(0.0, last_gap - k.elapsed_days) <= horizon);
      // Forecasts come in the same order as the histories.
      AddForecast(model, k, full_forecasts[h], horizon, active);
      AddForecast(without_activity, k, full_forecasts[h], horizon, 1);
      AddForecast(population_model, k, population_forecasts[h], horizon, active);
      if (truth != nullptr &&
          truth->item_truth[history.item].cycle_days <= 0) {
        // Scored as a consumable, truly a durable: not bought again.
        true_cycle.Add(k, kNeverDays, 0);
      } else if (truth != nullptr) {
        const CustomerTruth& who = truth->customer_truth[c];
        IntervalForecast f;
        f.elapsed_days = k.elapsed_days;
        f.log_mean = std::log(truth->item_truth[history.item].cycle_days *
                              who.cycle_multiplier * last.quantity);
        f.log_sd = kGeneratorNoise;
        const bool churned =
            who.churn_day.has_value() &&
            DayNumber(*who.churn_day) <=
                DayNumber(cutoff, split.utc_offset_seconds);
        AddForecast(true_cycle, k, f, horizon, churned ? 0 : 1);
      }
    }
  }
  evaluation.models = {
      {"item_median_interval", item_median.Finish()},
      {"customer_last_interval", last_interval.Finish()},
      {"repurchase_model", model.Finish()},
      {"repurchase_model_without_activity", without_activity.Finish()},
      {"item_population_model", population_model.Finish()},
  };
  if (truth != nullptr) {
    evaluation.models.emplace_back("true_cycle", true_cycle.Finish());
  }
  return evaluation;
}

absl::StatusOr<TimingEvaluation> EvaluateCustomerTiming(
    const PurchaseLog& log, const TimingSplit& split) {
  RETURN_IF_ERROR(CheckSplit(split));
  const int64_t cutoff_day = DayNumber(absl::ToUnixSeconds(split.cutoff), 0);
  const int64_t end_day = DayNumber(absl::ToUnixSeconds(split.test_end) - 1, 0);
  const double horizon = split.horizon_days;
  TimingEvaluation evaluation;
  evaluation.level = "customer";
  evaluation.split = split;

  ASSIGN_OR_RETURN(const ActivityModel activity,
                   ActivityModel::Fit(log, cutoff_day - 1, 7,
                                      /*with_pareto_nbd=*/true));
  evaluation.fit["bgnbd_r"] = activity.parameters().r;
  evaluation.fit["bgnbd_alpha_weeks"] = activity.parameters().alpha;
  evaluation.fit["bgnbd_a"] = activity.parameters().a;
  evaluation.fit["bgnbd_b"] = activity.parameters().b;
  evaluation.bgnbd_boundary = BgNbdBoundaryName(activity.boundary());

  // The interval model sees each customer's order days as purchases of one
  // "item", the store.
  RepurchaseFitInput input;
  input.consumable = {true};
  input.categories = {"store"};
  input.end_seconds = cutoff_day * static_cast<int64_t>(kDay) - 1;
  EmpiricalIntervals population;
  std::vector<std::vector<DatedPurchase>> calibration(log.purchases.size());
  for (size_t c = 0; c < log.purchases.size(); ++c) {
    calibration[c] = TransactionDays(log.purchases[c], cutoff_day - 1);
    std::vector<ConsumablePurchase> orders;
    for (size_t k = 0; k < calibration[c].size(); ++k) {
      orders.push_back({0, calibration[c][k].day * static_cast<int64_t>(kDay), 1});
      if (k > 0) {
        population.Add(static_cast<double>(calibration[c][k].day -
                                           calibration[c][k - 1].day));
      }
    }
    input.customers.push_back(std::move(orders));
  }
  ASSIGN_OR_RETURN(const snapshot::RepurchaseModel intervals,
                   FitRepurchaseModel(input));
  RecordFit(intervals, "interval_model_", &evaluation.fit);

  Scorer population_median("baseline", horizon), last_interval("baseline", horizon);
  Scorer bg_nbd("model", horizon), interval_model("model", horizon),
      interval_pareto("model", horizon);
  const int64_t cutoff_seconds = cutoff_day * static_cast<int64_t>(kDay);
  for (size_t c = 0; c < log.purchases.size(); ++c) {
    const std::vector<DatedPurchase>& days = calibration[c];
    if (days.empty()) continue;
    Case k;
    k.elapsed_days = static_cast<double>(cutoff_day - days.back().day);
    for (const DatedPurchase& p : log.purchases[c]) {
      if (p.day < cutoff_day || p.day > end_day) continue;
      const double wait = static_cast<double>(p.day - cutoff_day);
      if (!k.actual_days.has_value() || wait < *k.actual_days) k.actual_days = wait;
    }
    const double median = population.Median();
    population_median.Add(
        k, median, ShareOf({&population}, k.elapsed_days, horizon));
    const size_t n = days.size();
    const double last_gap =
        n >= 2 ? static_cast<double>(days[n - 1].day - days[n - 2].day) : median;
    last_interval.Add(k, last_gap,
                      std::max(0.0, last_gap - k.elapsed_days) <= horizon);
    const CustomerRfm* rfm = activity.Find(log.customer_ids[c]);
    if (rfm == nullptr) continue;  // Cannot happen: same log, same end.
    const double weeks_to_next =
        BgNbdTimeToNextPurchaseIfAlive(activity.parameters(), *rfm, 0.5);
    bg_nbd.Add(k, k.elapsed_days + 7 * weeks_to_next,
               BgNbdProbabilityPurchaseWithin(activity.parameters(), *rfm,
                                              horizon / 7));
    const std::vector<IntervalForecast> forecasts =
        ForecastRepurchases(intervals, input.customers[c], cutoff_seconds);
    AddForecast(interval_model, k, forecasts.front(), horizon,
                BgNbdProbabilityAlive(activity.parameters(), *rfm));
    ASSIGN_OR_RETURN(const double pareto_active,
                     activity.ParetoProbabilityActive(log.customer_ids[c]));
    AddForecast(interval_pareto, k, forecasts.front(), horizon, pareto_active);
  }
  evaluation.models = {
      {"population_median_interval", population_median.Finish()},
      {"customer_last_interval", last_interval.Finish()},
      {"bgnbd", bg_nbd.Finish()},
      {"interval_model", interval_model.Finish()},
      {"interval_model_pareto_nbd_activity", interval_pareto.Finish()},
  };
  return evaluation;
}

std::string TimingEvaluationJson(const TimingEvaluation& e) {
  using Json = nlohmann::ordered_json;
  const TimingSplit& s = e.split;
  Json json = {
      {"dataset", e.dataset},
      {"split",
       {{"level", e.level},
        {"cutoff", FormatRfc3339Utc(s.cutoff)},
        {"test_end", FormatRfc3339Utc(s.test_end)},
        {"test_days",
         JsonDecimals(absl::ToDoubleHours(s.test_end - s.cutoff) / 24, 0)},
        {"horizon_days", JsonSignificant(s.horizon_days)}}}};
  if (e.consumables.has_value()) {
    const ConsumableItems& c = *e.consumables;
    json["durability"] = {
        {"source", c.source},
        {"inferred_from", "purchases up to the cutoff"},
        {"labeled_items", c.labeled_items},
        {"inferred_consumables", c.inferred_consumables},
        {"inferred_durables", c.inferred_durables},
        {"unknown_items", c.unknown_items},
        {"consumables_scored",
         std::count(c.consumable.begin(), c.consumable.end(), true)}};
  }
  const std::string brier = absl::StrFormat("brier_%gd", s.horizon_days);
  // Best by MAE and by Brier score among the baselines and the models.
  const std::pair<std::string, TimingMetrics>* best[2][2] = {};
  Json& models = json["models"] = Json::object();
  for (size_t i = 0; i < e.models.size(); ++i) {
    const auto& [name, m] = e.models[i];
    models[name] = {{"kind", m.kind},
                    {"pairs", m.pairs},
                    {"rebuying_pairs", m.rebuying_pairs},
                    {"mae_days", JsonDecimals(m.mae_days, 3)},
                    {"median_abs_error_days", JsonDecimals(m.median_abs_error_days, 3)},
                    {brier, JsonDecimals(m.brier, 4)}};
    if (m.kind == "reference") continue;
    const int kind = m.kind == "model";
    if (best[kind][0] == nullptr || m.mae_days < best[kind][0]->second.mae_days) {
      best[kind][0] = &e.models[i];
    }
    if (best[kind][1] == nullptr || m.brier < best[kind][1]->second.brier) {
      best[kind][1] = &e.models[i];
    }
  }
  Json& fit = json["fit"] = Json::object();
  for (const auto& [name, value] : e.fit) fit[name] = JsonSignificant(value);
  if (!e.bgnbd_boundary.empty()) fit["bgnbd_boundary"] = e.bgnbd_boundary;
  if (best[0][0] != nullptr && best[1][0] != nullptr &&
      best[0][0]->second.mae_days > 0 && best[0][1]->second.brier > 0) {
    const TimingMetrics& any = e.models.front().second;
    const double rate =
        any.pairs > 0 ? static_cast<double>(any.bought_within_horizon) / any.pairs
                      : 0;
    json["summary"] = {
        {"best_baseline_by_mae", best[0][0]->first},
        {"best_model_by_mae", best[1][0]->first},
        {"mae_reduction",
         JsonDecimals(1 - best[1][0]->second.mae_days / best[0][0]->second.mae_days,
                      4)},
        {"best_baseline_by_brier", best[0][1]->first},
        {"best_model_by_brier", best[1][1]->first},
        {"brier_reduction",
         JsonDecimals(1 - best[1][1]->second.brier / best[0][1]->second.brier, 4)},
        {absl::StrFormat("base_rate_%gd", s.horizon_days), JsonDecimals(rate, 4)},
        {"brier_of_constant_base_rate", JsonDecimals(rate * (1 - rate), 4)}};
  }
  return PrintJson(json);
}

}  // namespace recommender
