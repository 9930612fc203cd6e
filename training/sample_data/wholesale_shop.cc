#include "training/sample_data/wholesale_shop.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"
#include "training/sample_data/generation_util.h"
#include "training/sample_data/shop_generator.h"

namespace recommender {
namespace {

// The flat catalog's one category.
constexpr char kCategory[] = "all";
constexpr int kTasteDims = 4;
// Share of items that are staples (re-ordered when they run out).
constexpr double kStapleShare = 0.4;
// Customers ordering every week in large orders.
constexpr double kKeyAccountShare = 0.03;
// New lines are drawn by popularity, then by taste among this many.
constexpr int kPickSample = 48;
// Each time a staple is re-ordered, the chance the customer stops
// stocking it.
constexpr double kDelistChance = 0.03;

constexpr const char* kThemes[] = {
    "Heart",    "Star",      "Vintage", "Regency", "Retro Spot", "Floral",
    "Woodland", "Christmas", "Garden",  "Paisley", "Doily",      "Owl"};
constexpr const char* kGoods[] = {
    "Mug",           "Candle Holder",  "Storage Tin",
    "Bunting",       "Lantern",        "Doormat",
    "Cake Stand",    "Tea Towel",      "Gift Bag",
    "Notebook",      "Photo Frame",    "Jam Jar",
    "Lunch Box",     "Cushion Cover",  "Wall Clock",
    "Paper Napkins", "Wrapping Paper", "Ribbon Reel"};
// Trade packs (units per order line) and how common each is.
constexpr int32_t kPacks[] = {1, 2, 3, 4, 6, 12, 24};

using Taste = std::array<double, kTasteDims>;

struct WholesaleItem {
  double popularity = 0;
  Taste style{};
  int64_t available_from = 0;  // Unix seconds.
};

struct WholesaleCustomer {
  Taste taste{};
  double order_gap_days = 30;
  // Mean new lines (items never ordered before) per order.
  double new_lines = 4;
  // Chance that a staple tried is kept in stock.
  double keep_share = 0.5;
  int32_t pack = 1;
  int64_t active_from = 0;
  int64_t active_until = 0;
};

// A staple a customer keeps in stock, and when it runs out.
struct Stocked {
  int32_t item = 0;
  int64_t runs_out = 0;
};

class WholesaleGenerator : public ShopGenerator {
 public:
  explicit WholesaleGenerator(const SampleShopOptions& options) : ShopGenerator(options) {}

  SampleShop Run() {
    MakeItems();
    MakeCustomers();
    for (int32_t c = 0; c < options_.num_customers; ++c) MakeOrders(c);
    shop_.catalog_durability_column = false;
    return Finish();
  }

 private:
  void MakeItems() {
    const int64_t span = window_end_ - window_start_;
    for (int32_t i = 0; i < options_.num_items; ++i) {
      WholesaleItem item;
      item.popularity = 1.0 / std::pow(i + 1.0, 0.8);
      for (double& x : item.style) x = rng_.Normal();
      // A quarter of the lines are launched during the window (not in its
      // last month).
      item.available_from =
          rng_.Bernoulli(0.25)
              ? window_start_ + rng_.UniformInt(std::max<int64_t>(
                                    kSecondsPerDay, span - 30 * kSecondsPerDay))
              : window_start_ - 365 * kSecondsPerDay;
      ItemTruth truth;
      if (rng_.Bernoulli(kStapleShare)) {
        truth.durability = Durability::kConsumable;
        truth.cycle_days = rng_.LogNormal(std::log(45.0), 0.4);
      } else {
        truth.durability = Durability::kDurable;
      }
      CatalogItem entry;
      entry.id = absl::StrFormat("P%05d", i + 1);
      entry.title =
          absl::StrCat(kThemes[rng_.UniformInt(std::size(kThemes))], " ",
                       kGoods[rng_.UniformInt(std::size(kGoods))]);
      entry.category = kCategory;
      entry.price = std::max(
          10.0, std::round(rng_.LogNormal(std::log(300.0), 0.7) / 10) * 10);
      entry.in_stock = rng_.Bernoulli(0.97);
      entry.durability = Durability::kUnknown;
      shop_.data.items.push_back(std::move(entry));
      shop_.item_truth.push_back(truth);
      AppendRunningSum(popularity_cumulative_, item.popularity);
      items_.push_back(item);
    }
  }

  void MakeCustomers() {
    const int64_t span = window_end_ - window_start_;
    for (int32_t c = 0; c < options_.num_customers; ++c) {
      CustomerRecord record;
      record.id = absl::StrFormat("C%05d", c + 1);
      record.region = kGeneratedRegions[DrawRegion(rng_)];
      const bool key_account = rng_.Bernoulli(kKeyAccountShare);
      WholesaleCustomer customer;
      for (double& x : customer.taste) x = rng_.Normal();
      customer.order_gap_days = key_account
                                    ? rng_.LogNormal(std::log(7.0), 0.2)
                                    : rng_.LogNormal(std::log(40.0), 0.6);
      customer.new_lines = key_account ? rng_.LogNormal(std::log(12.0), 0.3)
                                       : rng_.LogNormal(std::log(4.0), 0.7);
      customer.keep_share = 0.3 + 0.5 * rng_.Uniform();
      customer.pack = kPacks[rng_.Categorical({3, 2, 1, 2, 2, 3, 1})];
      // Most accounts were opened before the window, the rest during it.
      const int64_t signup =
          rng_.Bernoulli(0.6)
              ? window_start_ - 1 - rng_.UniformInt(365 * kSecondsPerDay)
              : window_start_ +
                    rng_.UniformInt(std::max<int64_t>(
                        kSecondsPerDay, span - 30 * kSecondsPerDay));
      record.signup_date = GeneratedShopDay(signup);
      customer.active_from = std::max(signup, window_start_);
      customer.active_until = window_end_;
      CustomerTruth truth;
      // Pace per unit (generator truth format: days = cycle x multiplier x
      // units).
      truth.cycle_multiplier = rng_.LogNormal(0, 0.25) / customer.pack;
      if (const std::optional<int64_t> churn =
              DrawChurn(rng_, 0.25, customer.active_from, window_end_)) {
        customer.active_until = *churn;
        truth.churn_day = GeneratedShopDay(*churn);
      }
      shop_.data.customers.push_back(std::move(record));
      shop_.customer_truth.push_back(truth);
      customers_.push_back(customer);
    }
  }

  double Appeal(const WholesaleCustomer& customer, int32_t item) const {
    double dot = 0;
    for (int d = 0; d < kTasteDims; ++d) {
      dot += customer.taste[d] * items_[item].style[d];
    }
    return std::exp(0.8 * dot / std::sqrt(static_cast<double>(kTasteDims)));
  }

  // An item the customer never ordered, on sale at `when`: kPickSample
  // drawn by popularity, one of them by taste (sampling-importance-
  // resampling, as the default shop's large categories). nullopt when every
  // draw was taken or not yet on sale.
  std::optional<int32_t> PickNewLine(
      const WholesaleCustomer& customer, int64_t when,
      const absl::flat_hash_set<int32_t>& bought) {
    std::array<int32_t, kPickSample> drawn;
    std::vector<double> weights(kPickSample, 0.0);
    double total = 0;
    for (int s = 0; s < kPickSample; ++s) {
      drawn[s] = static_cast<int32_t>(
          DrawByRunningSums(rng_, popularity_cumulative_));
      if (bought.contains(drawn[s]) || items_[drawn[s]].available_from > when) {
        continue;
      }
      weights[s] = Appeal(customer, drawn[s]);
      total += weights[s];
    }
    if (total <= 0) return std::nullopt;
    return drawn[rng_.Categorical(weights)];
  }

  int32_t Quantity(const WholesaleCustomer& customer) {
    return customer.pack * (rng_.Bernoulli(0.15) ? 2 : 1);
  }

  // When a staple ordered at `when` runs out: the item's cycle per unit at
  // the customer's pace (their truth's multiplier holds 1 / pack: a shop
  // that orders by the dozen sells a dozen in a cycle), times the units.
  int64_t RunsOut(int32_t item, int64_t when, int32_t quantity,
                  const CustomerTruth& truth) {
    const double days = shop_.item_truth[item].cycle_days *
                        truth.cycle_multiplier * quantity *
                        rng_.LogNormal(0, 0.15);
    return when + static_cast<int64_t>(days * kSecondsPerDay);
  }

  void AddLine(int32_t customer, int32_t item, int64_t when, int32_t quantity) {
    double price = shop_.data.items[item].price;
    if (quantity >= 12) price = std::round(price * 0.85);  // Bulk price.
    shop_.data.events.push_back({customer, item, EventType::kPurchase, quantity,
                                 when, static_cast<float>(price)});
  }

  void MakeOrders(int32_t c) {
    const WholesaleCustomer& customer = customers_[c];
    const CustomerTruth& truth = shop_.customer_truth[c];
    absl::flat_hash_set<int32_t> bought;
    std::vector<Stocked> stocked;
    int64_t t = customer.active_from +
                static_cast<int64_t>(rng_.Uniform() * customer.order_gap_days *
                                     kSecondsPerDay);
    while (t < customer.active_until) {
      const int64_t when = DaytimeOf(rng_, window_start_, t);
      if (when >= customer.active_until) break;
      // Re-order the staples that have run out.
      std::vector<Stocked> kept;
      for (const Stocked& s : stocked) {
        if (s.runs_out > when) {
          kept.push_back(s);
          continue;
        }
        if (rng_.Bernoulli(kDelistChance)) continue;
        const int32_t quantity = Quantity(customer);
        AddLine(c, s.item, when, quantity);
        kept.push_back({s.item, RunsOut(s.item, when, quantity, truth)});
      }
      stocked = std::move(kept);
      // Try new lines; keep some of the staples among them in stock.
      const int lines = rng_.Poisson(customer.new_lines);
      for (int l = 0; l < lines; ++l) {
        const std::optional<int32_t> item = PickNewLine(customer, when, bought);
        if (!item.has_value()) continue;
        bought.insert(*item);
        const int32_t quantity = Quantity(customer);
        AddLine(c, *item, when, quantity);
        if (shop_.item_truth[*item].durability == Durability::kConsumable &&
            rng_.Bernoulli(customer.keep_share)) {
          stocked.push_back({*item, RunsOut(*item, when, quantity, truth)});
        }
      }
      t += static_cast<int64_t>(customer.order_gap_days *
                                rng_.LogNormal(0, 0.35) * kSecondsPerDay);
    }
  }

  std::vector<WholesaleItem> items_;
  // Running sums of item popularity, by row.
  std::vector<double> popularity_cumulative_;
  std::vector<WholesaleCustomer> customers_;
};

}  // namespace

SampleShopOptions WholesaleShopDefaults() {
  SampleShopOptions options;
  options.profile = ShopProfile::kWholesale;
  options.num_customers = 1000;
  options.num_items = 2000;
  options.num_days = 730;
  options.first_day = absl::CivilDay(2024, 10, 1);
  return options;
}

SampleShop GenerateWholesaleShop(const SampleShopOptions& options) {
  return WholesaleGenerator(options).Run();
}

}  // namespace recommender
