#include "training/sample_data/fashion_shop.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <iterator>
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

struct FashionCategory {
  const char* path;
  double female;  // Appeal to women and men.
  double male;
  double cycle_days;  // Basics only (re-bought); 0 for the rest.
  double min_price;
  double max_price;
  std::vector<const char*> products;
};

const std::vector<FashionCategory>& Categories() {
  static const auto* const kCategories = new std::vector<FashionCategory>{
      {"women/tops",
       2.0,
       0.1,
       0,
       1500,
       9000,
       {"Linen Blouse", "Rib Knit Top", "Oversized Tee", "Cardigan"}},
      {"women/dresses",
       1.8,
       0.05,
       0,
       3000,
       15000,
       {"Midi Dress", "Shirt Dress", "Knit Dress", "Pleated Dress"}},
      {"women/bottoms",
       1.6,
       0.1,
       0,
       2500,
       10000,
       {"Wide Pants", "Denim Skirt", "Tapered Trousers", "Flare Skirt"}},
      {"women/outerwear",
       1.2,
       0.1,
       0,
       6000,
       30000,
       {"Trench Coat", "Wool Coat", "Denim Jacket", "Down Vest"}},
      {"men/tops",
       0.1,
       2.0,
       0,
       1500,
       9000,
       {"Oxford Shirt", "Crew Neck Tee", "Polo Shirt", "Sweatshirt"}},
      {"men/bottoms",
       0.1,
       1.6,
       0,
       3000,
       12000,
       {"Chinos", "Slim Jeans", "Cargo Pants", "Shorts"}},
      {"men/outerwear",
       0.1,
       1.2,
       0,
       7000,
       35000,
       {"Parka", "Blazer", "Coach Jacket", "Down Jacket"}},
      {"shoes/sneakers",
       1.0,
       1.0,
       0,
       5000,
       16000,
       {"Canvas Sneakers", "Running Shoes", "Leather Sneakers", "Slip-ons"}},
      {"shoes/boots",
       1.0,
       0.8,
       0,
       8000,
       25000,
       {"Chelsea Boots", "Lace-up Boots", "Rain Boots", "Ankle Boots"}},
      {"bags",
       1.3,
       0.6,
       0,
       3000,
       20000,
       {"Tote Bag", "Backpack", "Shoulder Bag", "Clutch"}},
      {"accessories/jewelry",
       1.2,
       0.2,
       0,
       1000,
       12000,
       {"Hoop Earrings", "Chain Necklace", "Ring", "Bracelet"}},
      {"accessories/hats",
       0.7,
       0.8,
       0,
       1500,
       6000,
       {"Bucket Hat", "Cap", "Beanie", "Straw Hat"}},
      {"basics/socks",
       1.0,
       1.0,
       90,
       500,
       1500,
       {"Crew Socks 3pk", "Ankle Socks 5pk", "Wool Socks"}},
      {"basics/underwear",
       1.0,
       1.0,
       120,
       800,
       3000,
       {"Boxer Briefs 3pk", "Seamless Briefs 3pk", "Bra Top"}},
      {"basics/tights",
       1.2,
       0.02,
       60,
       600,
       2000,
       {"Sheer Tights", "Warm Tights", "Leggings"}},
  };
  return *kCategories;
}

constexpr const char* kBrands[] = {"Aoi",  "Rin", "Mori", "Sou",
                                   "Hana", "Kei", "Yoru", "Tsumugi"};
constexpr const char* kColours[] = {"Black", "White", "Navy", "Beige",
                                    "Khaki", "Grey",  "Red",  "Sage"};
constexpr const char* kAgeBands[] = {"20-29", "30-39", "40-49", "50-59", "60+"};
constexpr int kStyleDims = 3;
// Liked items a customer remembers and may come back to.
constexpr size_t kWishlistSize = 8;
// Categories with more items on sale than this pick by sampling.
constexpr size_t kExactPickLimit = 256;
constexpr int kPickSample = 64;

struct FashionItem {
  int category = 0;
  double hit = 1;  // How well it sells when new, relative to its peers.
  double price_level = 0;
  std::array<double, kStyleDims> style{};
  int64_t released = 0;   // Unix seconds.
  double fade_days = 30;  // Appeal falls by e every this many days.
};

struct FashionCustomer {
  std::vector<double> category_appeal;
  double price_tier = 0;
  std::array<double, kStyleDims> style{};
  double visits_per_month = 2;
  int64_t active_from = 0;
  int64_t active_until = 0;
};

class FashionGenerator : public ShopGenerator {
 public:
  explicit FashionGenerator(const SampleShopOptions& options) : ShopGenerator(options) {}

  SampleShop Run() {
    MakeItems();
    MakeCustomers();
    for (int32_t c = 0; c < options_.num_customers; ++c) MakeEvents(c);
    return Finish();
  }

 private:
  void MakeItems() {
    const auto& categories = Categories();
    const int num_categories = static_cast<int>(categories.size());
    const int64_t weeks = std::max<int64_t>(1, options_.num_days / 7);
    by_category_.resize(num_categories);
    for (int32_t i = 0; i < options_.num_items; ++i) {
      const int c = i % num_categories;
      const FashionCategory& spec = categories[c];
      FashionItem item;
      item.category = c;
      item.hit = rng_.LogNormal(0, 0.8);
      item.price_level = rng_.Normal();
      for (double& x : item.style) x = rng_.Normal();
      item.fade_days = rng_.LogNormal(std::log(30.0), 0.4);
      const bool basic = spec.cycle_days > 0;
      if (basic || rng_.Bernoulli(0.2)) {
        // Basics and the back catalogue: on sale before the window.
        item.released =
            window_start_ - 1 - rng_.UniformInt(120 * kSecondsPerDay);
      } else {
        // Weekly drops.
        item.released =
            window_start_ + rng_.UniformInt(weeks) * 7 * kSecondsPerDay;
      }
      ItemTruth truth;
      truth.durability = basic ? Durability::kConsumable : Durability::kDurable;
      truth.cycle_days = spec.cycle_days;
      const double unit = std::clamp(0.5 + 0.22 * item.price_level, 0.0, 1.0);
      const double log_min = std::log(spec.min_price);
      const double price =
          std::exp(log_min + unit * (std::log(spec.max_price) - log_min));
      CatalogItem entry;
      entry.id = absl::StrFormat("F%05d", i + 1);
      entry.title =
          absl::StrCat(kBrands[rng_.UniformInt(std::size(kBrands))], " ",
                       kColours[rng_.UniformInt(std::size(kColours))], " ",
                       spec.products[rng_.UniformInt(spec.products.size())]);
      entry.category = spec.path;
      entry.price = std::round(price / 100) * 100 - 10;
      entry.in_stock = rng_.Bernoulli(0.9);
      entry.durability = rng_.Bernoulli(options_.unlabeled_share)
                             ? Durability::kUnknown
                             : truth.durability;
      shop_.data.items.push_back(std::move(entry));
      shop_.item_truth.push_back(truth);
      items_.push_back(item);
    }
    // Per category, items in release order: those on sale at t are a prefix.
    for (int32_t i = 0; i < options_.num_items; ++i) {
      by_category_[items_[i].category].push_back(i);
    }
    for (std::vector<int32_t>& list : by_category_) {
      std::stable_sort(list.begin(), list.end(), [&](int32_t a, int32_t b) {
        return items_[a].released < items_[b].released;
      });
    }
  }

  void MakeCustomers() {
    const auto& categories = Categories();
    for (int32_t c = 0; c < options_.num_customers; ++c) {
      CustomerRecord record;
      record.id = absl::StrFormat("C%05d", c + 1);
      const int age = rng_.Categorical({0.3, 0.3, 0.2, 0.12, 0.08});
      const double gender_draw = rng_.Uniform();
      const bool female = gender_draw < 0.6;
      const bool male = !female && gender_draw < 0.95;
      record.age_band = rng_.Bernoulli(0.9) ? kAgeBands[age] : "";
      record.gender = female ? "f" : (male ? "m" : "");
      record.region = kGeneratedRegions[DrawRegion(rng_)];
      const int64_t signup =
          DrawSignup(rng_, window_start_, options_.num_days);
      record.signup_date = GeneratedShopDay(signup);
      FashionCustomer customer;
      for (const FashionCategory& spec : categories) {
        const double gendered =
            female ? spec.female
                   : (male ? spec.male : (spec.female + spec.male) / 2);
        // Basics are bought as a habit (below), rarely browsed.
        const double browse = spec.cycle_days > 0 ? 0.2 : 1.0;
        customer.category_appeal.push_back(gendered * browse *
                                           rng_.LogNormal(0, 0.6));
      }
      customer.price_tier = rng_.Normal();
      for (double& x : customer.style) x = rng_.Normal();
      customer.visits_per_month = rng_.LogNormal(std::log(2.0), 0.7);
      customer.active_from = std::max(signup, window_start_);
      customer.active_until = window_end_;
      CustomerTruth truth;
      truth.cycle_multiplier = rng_.LogNormal(0, 0.2);
      if (const std::optional<int64_t> churn =
              DrawChurn(rng_, 0.3, customer.active_from, window_end_)) {
        customer.active_until = *churn;
        truth.churn_day = GeneratedShopDay(*churn);
      }
      shop_.data.customers.push_back(std::move(record));
      shop_.customer_truth.push_back(truth);
      customers_.push_back(std::move(customer));
    }
  }

  // How much the customer wants `item` at time `t`: it sells when new and
  // fades, more so if it suits the customer's price tier and style.
  double Appeal(const FashionCustomer& customer, int32_t i, int64_t t) const {
    const FashionItem& item = items_[i];
    const double age_days =
        static_cast<double>(t - item.released) / kSecondsPerDay;
    const double freshness =
        item.released < window_start_ && shop_.item_truth[i].cycle_days > 0
            ? 1.0
            : std::max(0.02,
                       std::exp(-std::max(0.0, age_days) / item.fade_days));
    double style = 0;
    for (int d = 0; d < kStyleDims; ++d)
      style += customer.style[d] * item.style[d];
    return item.hit * freshness *
           std::exp(0.9 * customer.price_tier * item.price_level +
                    0.9 * style / std::sqrt(static_cast<double>(kStyleDims)));
  }

  // An item of `category` on sale at `t`, by appeal; -1 if none is.
  int32_t PickItem(const FashionCustomer& customer, int category, int64_t t) {
    const std::vector<int32_t>& list = by_category_[category];
    const size_t on_sale =
        std::partition_point(
            list.begin(), list.end(),
            [&](int32_t i) { return items_[i].released <= t; }) -
        list.begin();
    if (on_sale == 0) return -1;
    std::vector<int32_t> candidates;
    if (on_sale <= kExactPickLimit) {
      candidates.assign(list.begin(), list.begin() + on_sale);
    } else {
      for (int s = 0; s < kPickSample; ++s) {
        candidates.push_back(list[rng_.UniformInt(on_sale)]);
      }
    }
    std::vector<double> weights;
    weights.reserve(candidates.size());
    for (int32_t i : candidates) weights.push_back(Appeal(customer, i, t));
    return candidates[rng_.Categorical(weights)];
  }

  void Add(int32_t customer, int32_t item, EventType type, int64_t t) {
    const FashionCustomer& c = customers_[customer];
    if (t < c.active_from || t >= c.active_until) return;
    double price = shop_.data.items[item].price;
    if (type == EventType::kPurchase && rng_.Bernoulli(0.15)) {
      price = std::round(price * 0.8);  // On sale.
    }
    shop_.data.events.push_back(
        {customer, item, type, 1, t, static_cast<float>(price)});
  }

  // One visit: views in a category, maybe a look back at a liked item, and
  // now and then a purchase of the best-liked one seen that the customer
  // does not own yet.
  void AddVisit(int32_t c, int64_t t, std::deque<int32_t>& wishlist,
                absl::flat_hash_set<int32_t>& owned) {
    const FashionCustomer& customer = customers_[c];
    const int category = rng_.Categorical(customer.category_appeal);
    const int views = 2 + rng_.Poisson(3.0);
    int32_t best = -1;
    double best_appeal = 0;
    int64_t clock = t;
    auto view = [&](int32_t item) {
      Add(c, item, EventType::kView, clock);
      clock += 30 + rng_.UniformInt(180);
      const double appeal = Appeal(customer, item, t);
      if (owned.contains(item)) return;
      if (best < 0 || appeal > best_appeal) {
        best = item;
        best_appeal = appeal;
      }
    };
    for (int v = 0; v < views; ++v) {
      const int32_t item = PickItem(customer, category, t);
      if (item >= 0) view(item);
    }
    if (!wishlist.empty() && rng_.Bernoulli(0.35)) {
      view(wishlist[rng_.UniformInt(wishlist.size())]);
    }
    if (best < 0) return;
    if (std::find(wishlist.begin(), wishlist.end(), best) == wishlist.end()) {
      wishlist.push_back(best);
      if (wishlist.size() > kWishlistSize) wishlist.pop_front();
    }
    const bool buys = rng_.Bernoulli(0.15);
    if (buys || rng_.Bernoulli(0.1)) {
      Add(c, best, EventType::kCart, clock);
      clock += 60 + rng_.UniformInt(600);
    }
    if (buys) {
      Add(c, best, EventType::kPurchase, clock);
      owned.insert(best);
      wishlist.erase(std::find(wishlist.begin(), wishlist.end(), best));
    }
  }

  // Basics bought on the customer's cycle, as a habit.
  void AddBasicsHabit(int32_t c, const CustomerTruth& truth) {
    const FashionCustomer& customer = customers_[c];
    const auto& categories = Categories();
    std::vector<double> weights;
    for (size_t k = 0; k < categories.size(); ++k) {
      weights.push_back(
          categories[k].cycle_days > 0 ? customer.category_appeal[k] : 0.0);
    }
    const int category = rng_.Categorical(weights);
    const int32_t item = PickItem(customer, category, customer.active_from);
    if (item < 0) return;
    const double cycle = categories[category].cycle_days;
    int64_t t = DaytimeOf(
        rng_, window_start_,
        customer.active_from +
            rng_.UniformInt(static_cast<int64_t>(cycle * kSecondsPerDay)));
    while (t < customer.active_until) {
      Add(c, item, EventType::kPurchase, t);
      const double gap =
          cycle * truth.cycle_multiplier * rng_.LogNormal(0, 0.2);
      t = DaytimeOf(rng_, window_start_,
                    t + static_cast<int64_t>(gap * kSecondsPerDay));
    }
  }

  void MakeEvents(int32_t c) {
    const FashionCustomer& customer = customers_[c];
    if (customer.active_until <= customer.active_from) return;
    if (rng_.Bernoulli(0.3)) AddBasicsHabit(c, shop_.customer_truth[c]);
    const int64_t span = customer.active_until - customer.active_from;
    const double months = static_cast<double>(span) / (30.0 * kSecondsPerDay);
    std::vector<int64_t> visits(
        rng_.Poisson(customer.visits_per_month * months));
    for (int64_t& t : visits) {
      t = DaytimeOf(rng_, window_start_,
                    customer.active_from + rng_.UniformInt(span));
    }
    std::sort(visits.begin(), visits.end());
    std::deque<int32_t> wishlist;
    absl::flat_hash_set<int32_t> owned;
    for (int64_t t : visits) AddVisit(c, t, wishlist, owned);
  }

  std::vector<FashionItem> items_;
  // Per category: item rows in release order.
  std::vector<std::vector<int32_t>> by_category_;
  std::vector<FashionCustomer> customers_;
};

}  // namespace

SampleShopOptions FashionShopDefaults() {
  SampleShopOptions options;
  options.profile = ShopProfile::kFashion;
  options.num_customers = 3000;
  options.num_items = 2000;
  options.num_days = 365;
  options.first_day = absl::CivilDay(2025, 10, 1);
  return options;
}

SampleShop GenerateFashionShop(const SampleShopOptions& options) {
  return FashionGenerator(options).Run();
}

}  // namespace recommender
