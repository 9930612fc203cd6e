#include "training/sample_data/sample_shop.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/data/csv_reader.h"
#include "recommender/data/shop_data_loader.h"
#include "recommender/data/shop_data_writer.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/internal/seeded_random.h"
#include "training/sample_data/fashion_shop.h"
#include "training/sample_data/generation_util.h"
#include "training/sample_data/shop_generator.h"
#include "training/sample_data/wholesale_shop.h"

namespace recommender {
namespace {

enum AgeBand { k20s, k30s, k40s, k50s, k60Plus, kNumAgeBands };
constexpr const char* kAgeBandNames[] = {"20-29", "30-39", "40-49", "50-59",
                                         "60+"};

// What a category sells and who buys it. Multipliers scale the category's
// appeal by age band (20s .. 60+) and gender (f, m).
struct CategorySpec {
  const char* path;
  bool consumable;
  double cycle_days;  // For a medium-size pack; 0 for durables.
  double min_price;
  double max_price;
  std::vector<const char*> products;
  double age[kNumAgeBands];
  double female;
  double male;
};

const std::vector<CategorySpec>& Categories() {
  static const auto* const kCategories = new std::vector<CategorySpec>{
      {"kitchen/appliances", false, 0, 3000, 40000,
       {"Microwave", "Rice Cooker", "Electric Kettle", "Toaster", "Blender"},
       {1.2, 1.3, 1.0, 0.9, 0.8}, 1.1, 0.9},
      {"kitchen/cookware", false, 0, 1500, 12000,
       {"Frying Pan", "Stock Pot", "Chef Knife", "Donabe Pot", "Grill Pan"},
       {0.9, 1.2, 1.2, 1.0, 0.9}, 1.2, 0.8},
      {"home/cleaning-appliances", false, 0, 8000, 60000,
       {"Stick Vacuum", "Robot Vacuum", "Steam Mop", "Air Purifier",
        "Dehumidifier"},
       {0.8, 1.3, 1.2, 1.0, 0.8}, 1.0, 1.0},
      {"home/furniture", false, 0, 5000, 50000,
       {"Desk Chair", "Writing Desk", "Bookshelf", "Sofa Bed", "Low Table"},
       {1.6, 1.2, 0.9, 0.7, 0.5}, 1.0, 1.0},
      {"electronics/audio", false, 0, 3000, 45000,
       {"Wireless Earbuds", "Headphones", "Bluetooth Speaker", "Soundbar",
        "Radio"},
       {2.5, 1.5, 1.0, 0.6, 0.4}, 0.8, 1.4},
      {"electronics/cameras", false, 0, 20000, 150000,
       {"Mirrorless Camera", "Action Camera", "Compact Camera", "Lens",
        "Tripod"},
       {1.4, 1.3, 1.1, 0.9, 0.6}, 0.7, 1.5},
      {"outdoor/camping", false, 0, 2000, 40000,
       {"Tent", "Camp Stove", "Sleeping Bag", "Lantern", "Folding Chair"},
       {1.0, 1.6, 1.5, 0.7, 0.3}, 0.6, 1.6},
      {"beauty/devices", false, 0, 3000, 30000,
       {"Hair Dryer", "Hair Iron", "Electric Shaver", "Facial Steamer",
        "Electric Toothbrush"},
       {1.5, 1.3, 1.0, 0.8, 0.6}, 1.5, 0.8},
      {"sports/fitness", false, 0, 1500, 30000,
       {"Yoga Mat", "Dumbbell Set", "Exercise Bike", "Running Watch",
        "Foam Roller"},
       {1.6, 1.4, 1.0, 0.7, 0.5}, 1.0, 1.1},
      {"baby/gear", false, 0, 5000, 60000,
       {"Stroller", "Car Seat", "Baby Carrier", "High Chair", "Crib"},
       {1.2, 4.0, 1.0, 0.2, 0.1}, 1.3, 0.8},
      {"food/coffee", true, 21, 600, 2500,
       {"Dark Roast Beans", "Drip Bags", "Instant Coffee", "Decaf Beans",
        "Espresso Pods"},
       {1.0, 1.2, 1.2, 1.0, 0.8}, 1.0, 1.0},
      {"food/tea", true, 30, 400, 2000,
       {"Sencha \xE7\xB7\x91\xE8\x8C\xB6", "Hojicha", "Genmaicha",
        "Matcha Powder", "Barley Tea Bags"},
       {0.6, 0.8, 1.0, 1.6, 2.2}, 1.2, 0.8},
      {"home/laundry", true, 40, 300, 1500,
       {"Laundry Detergent", "Fabric Softener", "Bleach", "Detergent Refill",
        "Laundry Pods"},
       {0.8, 1.3, 1.3, 1.1, 0.9}, 1.2, 0.8},
      {"home/kitchen-supplies", true, 35, 150, 900,
       {"Dish Soap", "Sponges", "Cling Film", "Trash Bags", "Paper Towels"},
       {0.8, 1.2, 1.2, 1.1, 1.0}, 1.1, 0.9},
      {"health/contact-lenses", true, 30, 1500, 5000,
       {"1-Day Lenses 30pk", "2-Week Lenses", "Monthly Lenses",
        "Lens Solution", "Toric Lenses"},
       {2.0, 1.8, 1.3, 0.6, 0.2}, 1.1, 0.9},
      {"beauty/skincare", true, 45, 800, 6000,
       {"Lotion", "Face Wash", "Sunscreen", "Serum", "Sheet Masks"},
       {1.4, 1.3, 1.1, 1.0, 0.8}, 2.5, 0.4},
      {"pet/food", true, 28, 800, 5000,
       {"Dry Cat Food", "Dry Dog Food", "Cat Litter", "Wet Cat Food",
        "Pet Treats"},
       {0.8, 1.0, 1.1, 1.1, 1.0}, 1.0, 1.0},
      {"baby/diapers", true, 14, 1000, 3000,
       {"Diapers S", "Diapers M", "Pants Diapers L", "Baby Wipes",
        "Formula Milk"},
       {1.0, 4.5, 0.8, 0.1, 0.05}, 1.2, 0.8},
      {"health/supplements", true, 30, 800, 4000,
       {"Vitamin C", "Multivitamin", "Fish Oil", "Protein Powder",
        "Glucosamine"},
       {0.7, 0.8, 1.1, 1.6, 2.0}, 1.0, 1.0},
      {"food/rice", true, 30, 1500, 5000,
       {"Koshihikari Rice", "Brown Rice", "Akitakomachi Rice",
        "Wash-free Rice", "Mochi Rice"},
       {0.6, 1.1, 1.3, 1.3, 1.2}, 1.0, 1.0},
  };
  return *kCategories;
}

constexpr const char* kBrands[] = {"Sakura", "Fuji",   "Hikari", "Kumo",
                                   "Midori", "Sora",   "Yuki",   "Kaze",
                                   "Tsuki",  "Hoshi",  "Nami",   "Kawa"};

// Pack sizes of consumables: name, cycle multiplier, price multiplier.
struct PackSize {
  const char* name;
  double cycle;
  double price;
};
constexpr PackSize kPackSizes[] = {
    {"small", 0.6, 0.6}, {"regular", 1.0, 1.0}, {"large", 1.8, 1.6}};

constexpr const char* kModels[] = {"S", "M", "Pro", "Lite", "X"};

// Categories with more items than this pick by sampling (PickItemSampled);
// smaller ones (every bundled sample) pick exactly.
constexpr size_t kExactPickLimit = 256;
constexpr int kPickSample = 64;

struct GeneratedItem {
  int category;
  double popularity;  // Zipf-like within the category.
  double price_level; // Standardized price within the category.
  double style;       // A hidden taste axis shared across categories.
};

struct GeneratedCustomer {
  std::vector<double> category_appeal;
  double price_tier;
  double style;
  double activity;
  int64_t active_from;  // Unix seconds.
  int64_t active_until;
};

class Generator : public ShopGenerator {
 public:
  explicit Generator(const SampleShopOptions& options) : ShopGenerator(options) {}

  SampleShop Run() {
    MakeItems();
    MakeCustomers();
    for (int32_t c = 0; c < options_.num_customers; ++c) MakeEvents(c);
    return Finish();
  }

  // Like Run, but writes the shop to `dir` customer by customer, holding
  // only one customer's events at a time.
  absl::StatusOr<SampleShopStats> Stream(const std::string& dir) {
    MakeItems();
    MakeCustomers();
    IndexShopRows(shop_.data);
    SampleShopStats stats;
    stats.items = static_cast<int64_t>(shop_.data.items.size());
    stats.customers = static_cast<int64_t>(shop_.data.customers.size());
    RETURN_IF_ERROR(CreateDirectories(dir));
    RETURN_IF_ERROR(WriteCatalogCsv(shop_.data.items, JoinPath(dir, kCatalogFile)));
    RETURN_IF_ERROR(WriteCustomersCsv(shop_.data.customers,
                                      JoinPath(dir, kCustomersFile)));
    RETURN_IF_ERROR(WriteGroundTruth(shop_, dir));
    ASSIGN_OR_RETURN(std::unique_ptr<EventCsvWriter> events,
                     EventCsvWriter::Create(JoinPath(dir, kEventsFile),
                                            GeneratedShopZone()));
    std::vector<Event>& pending = shop_.data.events;
    for (int32_t c = 0; c < options_.num_customers; ++c) {
      pending.clear();
      MakeEvents(c);
      SortAndDeduplicate(pending);
      for (const Event& e : pending) {
        RETURN_IF_ERROR(events->Append(shop_.data.customers[c].id,
                                       shop_.data.items[e.item].id, e));
      }
      stats.events += static_cast<int64_t>(pending.size());
    }
    stats.events_bytes = events->bytes_written();
    RETURN_IF_ERROR(events->Close());
    return stats;
  }

 private:
  void MakeItems() {
    const auto& categories = Categories();
    const int num_categories = static_cast<int>(categories.size());
    for (int32_t i = 0; i < options_.num_items; ++i) {
      const int c = i % num_categories;
      const int rank = i / num_categories;  // Position within the category.
      const CategorySpec& spec = categories[c];
      const double price_level = rng_.Normal();
      const double log_min = std::log(spec.min_price);
      const double log_max = std::log(spec.max_price);
      const double unit =
          std::clamp(0.5 + 0.22 * price_level, 0.0, 1.0);
      double price = std::exp(log_min + unit * (log_max - log_min));
      ItemTruth truth;
      std::string title = absl::StrCat(
          kBrands[rng_.UniformInt(std::size(kBrands))], " ",
          spec.products[rank % spec.products.size()]);
      if (spec.consumable) {
        const PackSize& pack = kPackSizes[rng_.UniformInt(3)];
        truth.durability = Durability::kConsumable;
        truth.cycle_days = spec.cycle_days * pack.cycle;
        price *= pack.price;
        absl::StrAppend(&title, " (", pack.name, ")");
      } else {
        truth.durability = Durability::kDurable;
        absl::StrAppend(&title, " ", kModels[rng_.UniformInt(5)],
                        100 + rank * 10);
      }
      CatalogItem item;
      item.id = absl::StrFormat("P%05d", i + 1);
      item.title = std::move(title);
      item.category = spec.path;
      item.price = std::round(price / 10) * 10;
      item.in_stock = rng_.Bernoulli(0.95);
      item.durability = rng_.Bernoulli(options_.unlabeled_share)
                            ? Durability::kUnknown
                            : truth.durability;
      shop_.data.items.push_back(std::move(item));
      shop_.item_truth.push_back(truth);
      items_.push_back({c, 1.0 / std::pow(rank + 1.0, 0.8), price_level,
                        rng_.Normal()});
      items_by_category_.resize(num_categories);
      items_by_category_[c].push_back(i);
      popularity_cumulative_.resize(num_categories);
      AppendRunningSum(popularity_cumulative_[c], items_.back().popularity);
    }
  }

  void MakeCustomers() {
    const auto& categories = Categories();
    for (int32_t c = 0; c < options_.num_customers; ++c) {
      CustomerRecord record;
      record.id = absl::StrFormat("C%05d", c + 1);
      const int age = rng_.Categorical({0.18, 0.26, 0.24, 0.18, 0.14});
      const double gender_draw = rng_.Uniform();
      const bool female = gender_draw < 0.55;
      const bool male = !female && gender_draw < 0.95;
      const bool pet_owner = rng_.Bernoulli(0.3);
      record.age_band = rng_.Bernoulli(0.9) ? kAgeBandNames[age] : "";
      record.gender = female ? "f" : (male ? "m" : "");
      const int region = DrawRegion(rng_);
      record.region = kGeneratedRegions[region];
      const int64_t signup =
          DrawSignup(rng_, window_start_, options_.num_days);
      record.signup_date = GeneratedShopDay(signup);

      GeneratedCustomer customer;
      for (size_t k = 0; k < categories.size(); ++k) {
        const CategorySpec& spec = categories[k];
        double appeal = spec.age[age] * (female ? spec.female : 1.0) *
                        (male ? spec.male : 1.0) * rng_.LogNormal(0, 0.5);
        if (std::string(spec.path) == "pet/food") {
          appeal *= pet_owner ? 8.0 : 0.05;
        }
        if (std::string(spec.path) == "outdoor/camping" &&
            (region == 4 || region == 5)) {
          appeal *= 1.8;  // Hokkaido and Fukuoka camp more.
        }
        customer.category_appeal.push_back(appeal);
      }
      customer.price_tier = rng_.Normal();
      customer.style = rng_.Normal();
      customer.activity = rng_.LogNormal(0, 0.5);
      customer.active_from = std::max(signup, window_start_);
      customer.active_until = window_end_;
      CustomerTruth truth;
      truth.cycle_multiplier = rng_.LogNormal(0, 0.2);
      if (const std::optional<int64_t> churn =
              DrawChurn(rng_, 0.25, customer.active_from, window_end_)) {
        customer.active_until = *churn;
        truth.churn_day = GeneratedShopDay(*churn);
      }
      shop_.data.customers.push_back(std::move(record));
      shop_.customer_truth.push_back(truth);
      customers_.push_back(std::move(customer));
    }
  }

  // How much customer `c` likes item `i` relative to its category peers.
  double ItemAppeal(const GeneratedCustomer& customer, int32_t i) const {
    const GeneratedItem& item = items_[i];
    return item.popularity *
           std::exp(0.9 * customer.price_tier * item.price_level +
                    0.9 * customer.style * item.style);
  }

  int32_t PickItem(const GeneratedCustomer& customer, int category) {
    const std::vector<int32_t>& candidates = items_by_category_[category];
    if (candidates.size() > kExactPickLimit) {
      return PickItemSampled(customer, category);
    }
    std::vector<double> weights;
    weights.reserve(candidates.size());
    for (int32_t i : candidates) weights.push_back(ItemAppeal(customer, i));
    return candidates[rng_.Categorical(weights)];
  }

  // PickItem for large categories, in time independent of their size:
  // sampling-importance-resampling (Rubin 1988). Draws kPickSample
  // candidates by popularity (the proposal), then one of them by the rest
  // of the appeal (taste match), which tends to the exact draw as the
  // sample grows.
  int32_t PickItemSampled(const GeneratedCustomer& customer, int category) {
    const std::vector<int32_t>& candidates = items_by_category_[category];
    const std::vector<double>& cumulative = popularity_cumulative_[category];
    std::array<int32_t, kPickSample> drawn;
    std::vector<double> weights(kPickSample);
    for (int s = 0; s < kPickSample; ++s) {
      drawn[s] = candidates[DrawByRunningSums(rng_, cumulative)];
      weights[s] = ItemAppeal(customer, drawn[s]) / items_[drawn[s]].popularity;
    }
    return drawn[rng_.Categorical(weights)];
  }

  // A time of day between 08:00 and 24:00 Japan time on the day of `t`.
  int64_t DaytimeOf(int64_t t) {
    return recommender::DaytimeOf(rng_, window_start_, t);
  }

  void Add(int32_t customer, int32_t item, EventType type, int64_t t,
           int32_t quantity = 1) {
    const GeneratedCustomer& c = customers_[customer];
    if (t < c.active_from || t >= c.active_until) return;
    double price = shop_.data.items[item].price;
    if (type == EventType::kPurchase && rng_.Bernoulli(0.1)) {
      price = std::round(price * (0.8 + 0.15 * rng_.Uniform()));
    }
    shop_.data.events.push_back({customer, item, type, quantity, t,
                                 static_cast<float>(price)});
  }

  // Views of items in the category (the chosen one among them) in the days
  // before time `t`, and maybe a cart just before it.
  void AddLeadUp(int32_t customer, int32_t chosen, int category, int64_t t,
                 int views, double cart_probability) {
    const GeneratedCustomer& c = customers_[customer];
    for (int v = 0; v < views; ++v) {
      const int32_t item = v == 0 ? chosen : PickItem(c, category);
      Add(customer, item, EventType::kView,
          t - 600 - rng_.UniformInt(7 * kSecondsPerDay));
    }
    if (rng_.Bernoulli(cart_probability)) {
      Add(customer, chosen, EventType::kCart, t - 60 - rng_.UniformInt(3600));
    }
  }

  void MakeEvents(int32_t customer) {
    const GeneratedCustomer& c = customers_[customer];
    const CustomerTruth& truth = shop_.customer_truth[customer];
    const auto& categories = Categories();
    if (c.active_until <= c.active_from) return;
    const int64_t active_span = c.active_until - c.active_from;

    // Categories of interest: 3 to 6, drawn by appeal without replacement.
    std::vector<double> appeal = c.category_appeal;
    const int num_interests = 3 + static_cast<int>(rng_.UniformInt(4));
    std::vector<int> interests;
    for (int k = 0; k < num_interests; ++k) {
      const int category = rng_.Categorical(appeal);
      interests.push_back(category);
      appeal[category] = 0;
    }

    for (int category : interests) {
      const CategorySpec& spec = categories[category];
      if (spec.consumable) {
        if (!rng_.Bernoulli(0.8)) continue;
        AddConsumableHabit(customer, category, truth.cycle_multiplier);
      } else {
        const int purchases =
            static_cast<int>(rng_.Bernoulli(0.65)) +
            static_cast<int>(rng_.Bernoulli(0.15));
        absl::flat_hash_set<int32_t> owned;
        for (int p = 0; p < purchases; ++p) {
          const int32_t item = PickItem(c, category);
          if (!owned.insert(item).second && !rng_.Bernoulli(0.05)) continue;
          const int64_t t = DaytimeOf(c.active_from + rng_.UniformInt(active_span));
          AddLeadUp(customer, item, category, t,
                    2 + static_cast<int>(rng_.UniformInt(5)), 0.6);
          Add(customer, item, EventType::kPurchase, t);
        }
      }
    }

    // Browsing: mostly in the categories of interest, some anywhere.
    const double months = static_cast<double>(active_span) /
                          (30.0 * kSecondsPerDay);
    const int browses = rng_.Poisson(2.5 * c.activity * months);
    for (int b = 0; b < browses; ++b) {
      const int category =
          rng_.Bernoulli(0.7)
              ? interests[rng_.UniformInt(interests.size())]
              : static_cast<int>(rng_.UniformInt(categories.size()));
      const int32_t item = PickItem(c, category);
      const int64_t t = DaytimeOf(c.active_from + rng_.UniformInt(active_span));
      Add(customer, item, EventType::kView, t);
      if (rng_.Bernoulli(0.08)) Add(customer, item, EventType::kCart, t + 120);
    }
  }

  // Repeated purchases of one consumable on the customer's own cycle, with
  // occasional pauses, double packs and switches to another item.
  void AddConsumableHabit(int32_t customer, int category,
                          double cycle_multiplier) {
    const GeneratedCustomer& c = customers_[customer];
    int32_t item = PickItem(c, category);
    const int64_t first_window = static_cast<int64_t>(
        std::min(60.0, shop_.item_truth[item].cycle_days * 1.5) *
        kSecondsPerDay);
    int64_t t = DaytimeOf(c.active_from + rng_.UniformInt(first_window));
    AddLeadUp(customer, item, category, t,
              1 + static_cast<int>(rng_.UniformInt(3)), 0.4);
    while (t < c.active_until) {
      const int32_t quantity = rng_.Bernoulli(0.1) ? 2 : 1;
      if (rng_.Bernoulli(0.1)) {
        Add(customer, item, EventType::kView, t - 600 - rng_.UniformInt(86400));
      }
      Add(customer, item, EventType::kPurchase, t, quantity);
      double gap_days = shop_.item_truth[item].cycle_days * cycle_multiplier *
                        quantity * rng_.LogNormal(0, 0.15);
      if (rng_.Bernoulli(0.05)) gap_days *= 1.8;  // A pause, e.g. travel.
      t = DaytimeOf(t + static_cast<int64_t>(gap_days * kSecondsPerDay));
      if (rng_.Bernoulli(0.06)) {
        const int32_t other = PickItem(c, category);
        if (other != item) {
          AddLeadUp(customer, other, category, t, 2, 0.3);
          item = other;
        }
      }
    }
  }

  std::vector<GeneratedItem> items_;
  std::vector<std::vector<int32_t>> items_by_category_;
  // Per category, running sums of item popularity in items_by_category_
  // order, for PickItemSampled.
  std::vector<std::vector<double>> popularity_cumulative_;
  std::vector<GeneratedCustomer> customers_;
};

}  // namespace

absl::string_view ShopProfileName(ShopProfile profile) {
  switch (profile) {
    case ShopProfile::kDefault:
      return "default";
    case ShopProfile::kWholesale:
      return "wholesale";
    case ShopProfile::kFashion:
      return "fashion";
  }
  return "default";
}

std::optional<ShopProfile> ParseShopProfile(absl::string_view text) {
  for (ShopProfile profile :
       {ShopProfile::kDefault, ShopProfile::kWholesale, ShopProfile::kFashion}) {
    if (text == ShopProfileName(profile)) return profile;
  }
  return std::nullopt;
}

SampleShopOptions ProfileDefaults(ShopProfile profile) {
  switch (profile) {
    case ShopProfile::kDefault:
      return SampleShopOptions();
    case ShopProfile::kWholesale:
      return WholesaleShopDefaults();
    case ShopProfile::kFashion:
      return FashionShopDefaults();
  }
  return SampleShopOptions();
}

absl::Status ValidateSampleShopOptions(const SampleShopOptions& options) {
  int32_t min_items = static_cast<int32_t>(Categories().size());
  if (options.profile == ShopProfile::kWholesale) min_items = 1;
  if (options.profile == ShopProfile::kFashion) min_items = kFashionCategories;
  if (options.num_customers < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--customers: must be at least 1, got ", options.num_customers));
  }
  if (options.num_items < min_items) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--items: the ", ShopProfileName(options.profile),
        " profile needs at least ", min_items, " items (one per category), got ",
        options.num_items));
  }
  if (options.num_days < 30) {
    return absl::InvalidArgumentError(
        absl::StrCat("--days: must be at least 30, got ", options.num_days));
  }
  if (!(options.unlabeled_share >= 0 && options.unlabeled_share <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--unlabeled_share: must be between 0 and 1, got ",
                     options.unlabeled_share));
  }
  return absl::OkStatus();
}

SampleShop GenerateSampleShop(const SampleShopOptions& options) {
  switch (options.profile) {
    case ShopProfile::kWholesale:
      return GenerateWholesaleShop(options);
    case ShopProfile::kFashion:
      return GenerateFashionShop(options);
    case ShopProfile::kDefault:
      break;
  }
  return Generator(options).Run();
}

absl::Status WriteGroundTruth(const SampleShop& shop, const std::string& dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> items,
                   FileWriter::Create(JoinPath(dir, kItemTruthFile)));
  RETURN_IF_ERROR(items->Append(CsvLine({"item_id", "durability", "cycle_days"})));
  for (size_t i = 0; i < shop.item_truth.size(); ++i) {
    const ItemTruth& truth = shop.item_truth[i];
    RETURN_IF_ERROR(items->Append(
        CsvLine({shop.data.items[i].id,
                 std::string(DurabilityName(truth.durability)),
                 absl::StrFormat("%.1f", truth.cycle_days)})));
  }
  RETURN_IF_ERROR(items->Close());
  ASSIGN_OR_RETURN(std::unique_ptr<FileWriter> customers,
                   FileWriter::Create(JoinPath(dir, kCustomerTruthFile)));
  RETURN_IF_ERROR(customers->Append(
      CsvLine({"customer_id", "cycle_multiplier", "churn_day"})));
  for (size_t c = 0; c < shop.customer_truth.size(); ++c) {
    const CustomerTruth& truth = shop.customer_truth[c];
    RETURN_IF_ERROR(customers->Append(CsvLine(
        {shop.data.customers[c].id,
         absl::StrFormat("%.3f", truth.cycle_multiplier),
         truth.churn_day ? absl::FormatCivilTime(*truth.churn_day) : ""})));
  }
  return customers->Close();
}

absl::Status WriteSampleShop(const SampleShop& shop, const std::string& dir) {
  CatalogCsvOptions catalog;
  catalog.durability_column = shop.catalog_durability_column;
  RETURN_IF_ERROR(
      WriteShopData(shop.data, dir, GeneratedShopZone(), catalog));
  return WriteGroundTruth(shop, dir);
}

absl::StatusOr<SampleShopStats> StreamSampleShop(
    const SampleShopOptions& options, const std::string& dir) {
  RETURN_IF_ERROR(ValidateSampleShopOptions(options));
  if (options.profile == ShopProfile::kDefault) {
    return Generator(options).Stream(dir);
  }
  const SampleShop shop = GenerateSampleShop(options);
  RETURN_IF_ERROR(WriteSampleShop(shop, dir));
  SampleShopStats stats;
  stats.items = static_cast<int64_t>(shop.data.items.size());
  stats.customers = static_cast<int64_t>(shop.data.customers.size());
  stats.events = static_cast<int64_t>(shop.data.events.size());
  std::error_code error;
  stats.events_bytes = static_cast<int64_t>(
      std::filesystem::file_size(JoinPath(dir, kEventsFile), error));
  if (error) {
    return absl::InternalError(absl::StrCat(JoinPath(dir, kEventsFile), ": ",
                                            error.message()));
  }
  return stats;
}

absl::StatusOr<SampleShop> ReadSampleShopTruth(const std::string& dir,
                                               const ShopData& data) {
  SampleShop shop;
  shop.item_truth.resize(data.items.size());
  shop.customer_truth.resize(data.customers.size());
  const std::string items_path = JoinPath(dir, kItemTruthFile);
  const std::string customers_path = JoinPath(dir, kCustomerTruthFile);
  if (!PathExists(items_path) || !PathExists(customers_path)) {
    return absl::NotFoundError(absl::StrCat(
        dir, ": no ", kItemTruthFile, " / ", kCustomerTruthFile,
        " (only generated sample shops have them)"));
  }
  // Reads one file row by row, handing each to `row` with its reader.
  auto read = [](const std::string& path, const std::vector<std::string>& columns,
                 const auto& row) -> absl::Status {
    ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path));
    std::vector<int> index;
    for (const std::string& column : columns) {
      ASSIGN_OR_RETURN(int i, reader->RequireColumn(column));
      index.push_back(i);
    }
    CsvRecord record;
    absl::Status error;
    while (reader->Next(&record, &error)) {
      RETURN_IF_ERROR(error);
      std::vector<std::string> fields;
      for (int i : index) fields.push_back(record.fields[i]);
      if (absl::Status s = row(fields); !s.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(reader->Where(record.line), s.message()));
      }
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(read(
      items_path, {"item_id", "durability", "cycle_days"},
      [&](const std::vector<std::string>& f) -> absl::Status {
        auto it = data.item_rows.find(f[0]);
        std::optional<Durability> durability = ParseDurability(f[1]);
        double cycle = 0;
        if (it == data.item_rows.end() || !durability.has_value() ||
            !absl::SimpleAtod(f[2], &cycle)) {
          return absl::InvalidArgumentError("unknown item or bad value");
        }
        shop.item_truth[it->second] = {*durability, cycle};
        return absl::OkStatus();
      }));
  RETURN_IF_ERROR(read(
      customers_path, {"customer_id", "cycle_multiplier", "churn_day"},
      [&](const std::vector<std::string>& f) -> absl::Status {
        auto it = data.customer_rows.find(f[0]);
        CustomerTruth truth;
        if (it == data.customer_rows.end() ||
            !absl::SimpleAtod(f[1], &truth.cycle_multiplier)) {
          return absl::InvalidArgumentError("unknown customer or bad value");
        }
        if (!f[2].empty()) {
          absl::StatusOr<absl::CivilDay> day = ParseIsoDate(f[2]);
          if (!day.ok()) return day.status();
          truth.churn_day = *day;
        }
        shop.customer_truth[it->second] = truth;
        return absl::OkStatus();
      }));
  return shop;
}

}  // namespace recommender
