#include "training/timing/repurchase_fitter.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/timing/repurchase_model.h"

namespace recommender {
namespace {

constexpr int kMinIntervals = 10;
// Residuals are clipped at this many spreads for the means, and at the
// wider one for the spreads themselves.
constexpr double kMeanClip = 2.5;
constexpr double kSpreadClip = 4;
// Floors keep every spread positive (a spread of 0 means "no effect").
constexpr double kMinSpread = 0.02;
constexpr double kMinEffectSpread = 0.01;

// Running sums for a mean and a second moment.
struct Moments {
  double n = 0;
  double sum = 0;
  double sum_squares = 0;
  void Add(double x) {
    n += 1;
    sum += x;
    sum_squares += x * x;
  }
  double Mean() const { return n > 0 ? sum / n : 0; }
  double MeanSquare() const { return n > 0 ? sum_squares / n : 0; }
};

// One customer's intervals with the effects currently estimated for them.
struct CustomerData {
  std::vector<RepurchaseInterval> intervals;
  // Per interval: u + w + v at the current estimate.
  std::vector<double> effect;
};

class Fitter {
 public:
  Fitter(const RepurchaseFitInput& input, const RepurchaseFitOptions& options)
      : input_(input), options_(options) {}

  absl::StatusOr<snapshot::RepurchaseModel> Run() {
    Prepare();
    if (num_intervals_ < kMinIntervals) {
      return absl::FailedPreconditionError(absl::StrCat(
          "only ", num_intervals_,
          " re-purchase intervals of consumables; need at least ",
          kMinIntervals, " to fit the repurchase model"));
    }
    Initialize();
    // Population means first, so that the customers' effects do not soak
    // up the differences between items.
    UpdateMeans();
    UpdateSpreads();
    for (int round = 0; round < options_.rounds; ++round) {
      if (options_.customer_effects) UpdateCustomerEffects();
      UpdateMeans();
      UpdateSpreads();
      if (options_.fit_quantity_exponent) UpdateQuantityExponent();
    }
    Label();
    return model_;
  }

 private:
  void Prepare() {
    const int32_t num_items = static_cast<int32_t>(input_.consumable.size());
    absl::flat_hash_map<std::string, int32_t> groups;
    item_group_.assign(num_items, -1);
    for (int32_t i = 0; i < num_items; ++i) {
      snapshot::ItemRepurchase* item = model_.add_items();
      if (!input_.consumable[i]) continue;
      auto [it, inserted] = groups.emplace(
          input_.categories[i], static_cast<int32_t>(groups.size()));
      if (inserted) model_.add_categories()->set_category(input_.categories[i]);
      item_group_[i] = it->second;
      item->set_consumable(true);
      item->set_category_group(it->second);
    }
    for (const std::vector<ConsumablePurchase>& purchases : input_.customers) {
      std::vector<ConsumablePurchase> consumables;
      for (const ConsumablePurchase& p : purchases) {
        if (p.item >= 0 && p.item < num_items && input_.consumable[p.item]) {
          consumables.push_back(p);
        }
      }
      CustomerData customer;
      customer.intervals =
          CollectIntervals(GroupByItem(consumables, input_.end_seconds));
      if (customer.intervals.empty()) continue;
      customer.effect.assign(customer.intervals.size(), 0);
      num_intervals_ += static_cast<int64_t>(customer.intervals.size());
      customers_.push_back(std::move(customer));
    }
  }

  // Target of the population mean for one interval: the log interval
  // without the quantity term and the customer's effects.
  double Target(const CustomerData& c, size_t k) const {
    return c.intervals[k].log_days -
           model_.quantity_exponent() * c.intervals[k].log_quantity -
           c.effect[k];
  }

  void Initialize() {
    model_.set_quantity_exponent(1);
    Moments all;
    for (const CustomerData& c : customers_) {
      for (size_t k = 0; k < c.intervals.size(); ++k) all.Add(Target(c, k));
    }
    const double sd =
        std::max(kMinSpread,
                 std::sqrt(std::max(0.0, all.MeanSquare() -
                                             all.Mean() * all.Mean())));
    model_.set_shop_log_mean(all.Mean());
    model_.set_shop_log_sd(sd);
    for (snapshot::ItemRepurchase& item : *model_.mutable_items()) {
      if (!item.consumable()) continue;
      item.set_log_mean(all.Mean());
      item.set_log_sd(sd);
    }
    for (snapshot::CategoryRepurchase& category : *model_.mutable_categories()) {
      category.set_log_mean(all.Mean());
      category.set_log_sd(sd);
    }
    if (options_.customer_effects) {
      model_.set_customer_sd(0.2);
      model_.set_customer_category_sd(0.1);
      model_.set_customer_item_sd(0.1);
    }
    between_items_sd_ = 0.2;
    between_categories_sd_ = 0.3;
  }

  // E-step for the customers' effects, M-step for their prior spreads.
  // The effects' averages over customers are moved into the item means
  // (each effect has mean 0 by definition), which backfitting alone would
  // do only slowly: customers who buy faster leave more intervals.
  void UpdateCustomerEffects() {
    Moments customer, category, item;
    Moments customer_mean;
    absl::flat_hash_map<int32_t, Moments> category_means, item_means;
    for (CustomerData& c : customers_) {
      CustomerEffects effects = EstimateCustomerEffects(model_, c.intervals);
      customer.Add(effects.customer.mean * effects.customer.mean +
                   effects.customer.variance);
      customer_mean.Add(effects.customer.mean);
      for (const auto& [group, e] : effects.category) {
        category.Add(e.mean * e.mean + e.variance);
        category_means[group].Add(e.mean);
      }
      for (const auto& [row, e] : effects.item) {
        item.Add(e.mean * e.mean + e.variance);
        item_means[row].Add(e.mean);
      }
      for (size_t k = 0; k < c.intervals.size(); ++k) {
        const int32_t row = c.intervals[k].item;
        c.effect[k] = effects.customer.mean +
                      effects.category[item_group_[row]].mean +
                      effects.item[row].mean;
      }
    }
    for (CustomerData& c : customers_) {
      for (size_t k = 0; k < c.intervals.size(); ++k) {
        const int32_t row = c.intervals[k].item;
        c.effect[k] -= customer_mean.Mean() +
                       category_means[item_group_[row]].Mean() +
                       item_means[row].Mean();
      }
    }
    model_.set_customer_sd(
        std::max(kMinEffectSpread, std::sqrt(customer.Mean())));
    model_.set_customer_category_sd(
        std::max(kMinEffectSpread, std::sqrt(category.Mean())));
    model_.set_customer_item_sd(std::max(kMinEffectSpread, std::sqrt(item.Mean())));
  }

  // Sums over the intervals, per item, per category and shop-wide, of
  // value(item, r), where r is the interval's target minus its item's mean,
  // clipped at `clip` item spreads.
  struct Sums {
    std::vector<Moments> items;
    std::vector<Moments> groups;
    Moments shop;
  };
  template <typename Value>
  Sums SumResiduals(double clip, Value value) const {
    Sums sums;
    sums.items.resize(model_.items_size());
    sums.groups.resize(model_.categories_size());
    for (const CustomerData& c : customers_) {
      for (size_t k = 0; k < c.intervals.size(); ++k) {
        const int32_t row = c.intervals[k].item;
        const snapshot::ItemRepurchase& item = model_.items(row);
        const double limit = clip * item.log_sd();
        const double x = value(
            item, std::clamp(Target(c, k) - item.log_mean(), -limit, limit));
        sums.items[row].Add(x);
        sums.groups[item_group_[row]].Add(x);
        sums.shop.Add(x);
      }
    }
    return sums;
  }

  // Robust (clipped) mean of the targets per item, then shrinkage:
  // category toward shop, item toward category.
  void UpdateMeans() {
    const int32_t num_items = model_.items_size();
    const Sums sums = SumResiduals(
        kMeanClip, [](const snapshot::ItemRepurchase& item, double r) {
          return item.log_mean() + r;
        });
    const std::vector<Moments>& items = sums.items;
    const std::vector<Moments>& groups = sums.groups;
    const Moments& shop = sums.shop;
    model_.set_shop_log_mean(shop.Mean());
    // Category means shrunk toward the shop's; the between-category
    // spread by moments.
    Moments category_spread;
    for (int32_t g = 0; g < model_.categories_size(); ++g) {
      snapshot::CategoryRepurchase* category = model_.mutable_categories(g);
      category->set_num_intervals(static_cast<int32_t>(groups[g].n));
      const double noise = Precision(category->log_sd()) * groups[g].n;
      const double prior = Precision(between_categories_sd_);
      category->set_log_mean((noise * groups[g].Mean() + prior * shop.Mean()) /
                             (noise + prior));
      if (groups[g].n > 0) {
        const double d = groups[g].Mean() - shop.Mean();
        category_spread.Add(d * d - 1 / std::max(noise, 1e-12));
      }
    }
    between_categories_sd_ =
        std::max(kMinEffectSpread, std::sqrt(std::max(0.0, category_spread.Mean())));
    Moments item_spread;
    for (int32_t i = 0; i < num_items; ++i) {
      snapshot::ItemRepurchase* item = model_.mutable_items(i);
      if (!item->consumable()) continue;
      const snapshot::CategoryRepurchase& category =
          model_.categories(item_group_[i]);
      item->set_num_intervals(static_cast<int32_t>(items[i].n));
      const double noise = Precision(item->log_sd()) * items[i].n;
      const double prior = Precision(between_items_sd_);
      item->set_log_mean((noise * items[i].Mean() + prior * category.log_mean()) /
                         (noise + prior));
      if (items[i].n > 0) {
        const double d = items[i].Mean() - category.log_mean();
        item_spread.Add(d * d - 1 / noise);
      }
    }
    between_items_sd_ =
        std::max(kMinEffectSpread, std::sqrt(std::max(0.0, item_spread.Mean())));
  }

  // Residual spread per item, pulled toward its category's pooled spread.
  void UpdateSpreads() {
    const int32_t num_items = model_.items_size();
    const Sums sums = SumResiduals(
        kSpreadClip,
        [](const snapshot::ItemRepurchase&, double r) { return r * r; });
    const std::vector<Moments>& items = sums.items;
    const std::vector<Moments>& groups = sums.groups;
    const Moments& shop = sums.shop;
    const double nu = options_.spread_prior_intervals;
    const double shop_variance = shop.Mean();
    model_.set_shop_log_sd(std::max(kMinSpread, std::sqrt(shop_variance)));
    for (int32_t g = 0; g < model_.categories_size(); ++g) {
      const double variance =
          (groups[g].sum + nu * shop_variance) / (groups[g].n + nu);
      model_.mutable_categories(g)->set_log_sd(
          std::max(kMinSpread, std::sqrt(variance)));
    }
    for (int32_t i = 0; i < num_items; ++i) {
      snapshot::ItemRepurchase* item = model_.mutable_items(i);
      if (!item->consumable()) continue;
      const double group_sd = model_.categories(item_group_[i]).log_sd();
      const double variance =
          (items[i].sum + nu * group_sd * group_sd) / (items[i].n + nu);
      item->set_log_sd(std::max(kMinSpread, std::sqrt(variance)));
    }
  }

  // Least squares of the residual on log(units) over multi-unit intervals.
  void UpdateQuantityExponent() {
    double cross = 0, squares = 0;
    for (const CustomerData& c : customers_) {
      for (size_t k = 0; k < c.intervals.size(); ++k) {
        const RepurchaseInterval& interval = c.intervals[k];
        if (interval.log_quantity <= 0) continue;
        const double residual = interval.log_days -
                                model_.items(interval.item).log_mean() -
                                c.effect[k];
        cross += residual * interval.log_quantity;
        squares += interval.log_quantity * interval.log_quantity;
      }
    }
    // Too few multi-unit purchases: keep "proportional".
    if (squares < 5 * std::log(2.0) * std::log(2.0)) return;
    model_.set_quantity_exponent(std::clamp(cross / squares, 0.0, 1.5));
  }

  void Label() {
    model_.set_num_intervals(num_intervals_);
    for (int32_t i = 0; i < model_.items_size(); ++i) {
      snapshot::ItemRepurchase* item = model_.mutable_items(i);
      if (!item->consumable()) continue;
      const int min = options_.min_intervals_for_basis;
      if (item->num_intervals() >= min) {
        item->set_basis(snapshot::ITEM);
      } else if (model_.categories(item_group_[i]).num_intervals() >= min) {
        item->set_basis(snapshot::CATEGORY);
      } else {
        item->set_basis(snapshot::SHOP);
      }
    }
  }

  static double Precision(double sd) { return 1 / (sd * sd); }

  const RepurchaseFitInput& input_;
  const RepurchaseFitOptions& options_;
  snapshot::RepurchaseModel model_;
  std::vector<int32_t> item_group_;
  std::vector<CustomerData> customers_;
  int64_t num_intervals_ = 0;
  double between_items_sd_ = 0;
  double between_categories_sd_ = 0;
};

}  // namespace

absl::StatusOr<snapshot::RepurchaseModel> FitRepurchaseModel(
    const RepurchaseFitInput& input, const RepurchaseFitOptions& options) {
  if (input.categories.size() != input.consumable.size()) {
    return absl::InvalidArgumentError(
        "repurchase fit: categories and consumable flags differ in length");
  }
  return Fitter(input, options).Run();
}

RepurchaseFitInput RepurchaseInputFromShop(const ShopData& data,
                                           const std::vector<bool>& consumable,
                                           int64_t end_seconds) {
  RepurchaseFitInput input;
  input.consumable = consumable;
  for (const CatalogItem& item : data.items) {
    input.categories.push_back(item.category);
  }
  input.customers.resize(data.customers.size());
  for (const Event& e : data.events) {
    if (e.type != EventType::kPurchase) continue;
    input.customers[e.customer].push_back(
        {e.item, e.unix_seconds, e.quantity});
  }
  input.end_seconds = end_seconds;
  return input;
}

}  // namespace recommender
