// End to end: the evaluation tools on a shop like a wholesaler's export — a
// flat catalog (one category), no durability column, purchases only, and
// key accounts with thousands of distinct items — run to the end:
// //training/evaluation:evaluate (every model, both tasks; the "new" task
// leaves out more than any request list may hold) and
// //training/timing:evaluate_timing (consumables inferred from the
// training period, as its JSON says).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "recommender/data/shop_data.h"
#include "recommender/data/shop_data_writer.h"
#include "recommender/filter/item_filter.h"
#include "recommender/util/file_util.h"
#include "tests/testing/test_dir.h"

namespace recommender {
namespace {

constexpr int kItems = 2500;
constexpr int kKeyAccounts = 3;
constexpr int kRegulars = 60;
constexpr int kStaples = 300;          // A key account's re-ordered items.
constexpr int kNewLinesPerOrder = 40;  // A key account's new items a week.

int64_t Day(int day) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2025, 10, 1) + day,
                                             absl::FixedTimeZone(9 * 3600)));
}

// Key accounts order every week: a quarter of their 300 staples each time
// (each re-ordered every four weeks) and 40 items new to them; the regulars
// order monthly: their five staples and three new items among the shop's
// first 500. Deterministic (mt19937_64 is fully specified).
ShopData HeavyBuyerShop() {
  ShopData data;
  for (int i = 0; i < kItems; ++i) {
    data.items.push_back({absl::StrFormat("W%04d", i + 1),
                          absl::StrCat("Giftware line ", i + 1), "all",
                          100.0 + i % 50, true, Durability::kUnknown});
  }
  std::mt19937_64 random(11);
  auto add_purchase = [&](int customer, int item, int day) {
    data.events.push_back(
        {customer, item, EventType::kPurchase, 6, Day(day) + 10 * 3600, 100});
  };
  for (int c = 0; c < kKeyAccounts + kRegulars; ++c) {
    const bool key = c < kKeyAccounts;
    data.customers.push_back({absl::StrFormat("%s%02d", key ? "K" : "R", c + 1),
                              absl::CivilDay(2025, 1, 1), "", "", "Osaka"});
    std::vector<int> order(key ? kItems : 500);
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::shuffle(order.begin(), order.end(), random);
    const int staples = key ? kStaples : 5;
    size_t next_new = static_cast<size_t>(staples);
    const int every = key ? 7 : 30;
    for (int day = c % every, week = 0; day < 365; day += every, ++week) {
      for (int s = 0; s < staples; ++s) {
        if (!key || (week + s) % 4 == 0) add_purchase(c, order[s], day);
      }
      for (int n = 0;
           n < (key ? kNewLinesPerOrder : 3) && next_new < order.size(); ++n) {
        add_purchase(c, order[next_new++], day);
      }
    }
  }
  std::stable_sort(data.events.begin(), data.events.end(),
                   [](const Event& a, const Event& b) {
                     return a.customer != b.customer
                                ? a.customer < b.customer
                                : a.unix_seconds < b.unix_seconds;
                   });
  data.item_rows = IndexIds(data.items);
  data.customer_rows = IndexIds(data.customers);
  return data;
}

std::string Root() { return testing::TestDir("heavy"); }

// Runs a tool (a runfile of this test) with `args`, stdout to `out`.
int RunTool(const std::string& tool, const std::string& args,
            const std::string& out) {
  return std::system(
      absl::StrCat(tool, " ", args, " >", out, " 2>", out, ".log").c_str());
}

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
}

class HeavyBuyersEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RemoveAll(Root()).IgnoreError();
    const ShopData data = HeavyBuyerShop();
    CatalogCsvOptions catalog;
    catalog.durability_column = false;
    ASSERT_TRUE(WriteShopData(data, JoinPath(Root(), "shop"),
                              absl::FixedTimeZone(9 * 3600), catalog)
                    .ok());
    // What the shop is: one category, no durability column, key accounts
    // with thousands of distinct items before the split.
    const std::string header =
        *ReadFileToString(JoinPath(Root(), "shop/catalog.csv"));
    ASSERT_EQ(header.substr(0, header.find('\n')),
              "item_id,title,category,price,in_stock");
    std::vector<std::set<int>> distinct(data.customers.size());
    for (const Event& e : data.events) {
      if (e.unix_seconds < Day(335)) distinct[e.customer].insert(e.item);
    }
    for (int c = 0; c < kKeyAccounts; ++c) {
      ASSERT_GT(distinct[c].size(), 2 * kMaxExcludedItemIds);
    }
  }
};

TEST_F(HeavyBuyersEndToEndTest, EvaluateRunsToTheEnd) {
  const std::string out = JoinPath(Root(), "evaluation.json");
  ASSERT_EQ(RunTool("training/evaluation/evaluate",
                    absl::StrCat("--dataset=shop:", Root(),
                                 "/shop --split=time:2026-09-01 "
                                 "--k=10 --factors=8 --epochs=2 --threads=2"),
                    out),
            0)
      << *ReadFileToString(out + ".log");
  const nlohmann::json json = ReadJson(out);
  ASSERT_TRUE(json.is_object()) << *ReadFileToString(out);
  EXPECT_GE(json["split"]["test_customers"].get<double>(), kKeyAccounts);
  for (const char* model : {"popularity", "rebuy", "rebuy_popular", "ials",
                            "itemknn", "ease", "default"}) {
    ASSERT_TRUE(json["models"].contains(model)) << model;
    for (const char* task : {"all", "new"}) {
      EXPECT_GT(json["models"][model][task]["customers"].get<double>(), 0)
          << model << " " << task;
    }
    // Nothing bought before is listed on the "new" task, however much the
    // customer bought.
    EXPECT_EQ(json["models"][model]["new"]["repeat_share@10"].get<double>(), 0)
        << model;
  }
  EXPECT_TRUE(json["baselines_beating_default"].is_array());
  EXPECT_EQ(json["durability"]["violations_judged_by"], "catalog");
}

TEST_F(HeavyBuyersEndToEndTest, EvaluateTimingRunsToTheEnd) {
  const std::string out = JoinPath(Root(), "timing.json");
  ASSERT_EQ(RunTool("training/timing/evaluate_timing",
                    absl::StrCat("--dataset=shop:", Root(), "/shop"), out),
            0)
      << *ReadFileToString(out + ".log");
  const nlohmann::json json = ReadJson(out);
  ASSERT_TRUE(json.is_object()) << *ReadFileToString(out);
  EXPECT_EQ(json["durability"]["source"], "inferred");
  EXPECT_EQ(json["durability"]["inferred_from"], "purchases up to the cutoff");
  EXPECT_GT(json["durability"]["inferred_consumables"].get<double>(), 100);
  const nlohmann::json& model = json["models"]["repurchase_model"];
  EXPECT_GT(model["pairs"].get<double>(), 100);
  EXPECT_GT(model["rebuying_pairs"].get<double>(), 0);
  EXPECT_TRUE(json["fit"].contains("bgnbd_boundary"));
}

}  // namespace
}  // namespace recommender
