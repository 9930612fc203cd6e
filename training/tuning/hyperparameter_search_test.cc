#include "training/tuning/hyperparameter_search.h"

#include <set>
#include <tuple>

#include "gtest/gtest.h"

namespace recommender {
namespace {

IalsSearchSpace Space() {
  IalsSearchSpace space;
  space.factors = {32, 64};
  space.epochs = {10};
  space.regularization = {1, 10, 100};
  space.regularization_exponent = {0};
  space.alpha = {0.5, 2};
  space.view_weight = {1};
  space.cart_weight = {4};
  space.purchase_weight = {10};
  space.recency_half_life_days = {0};
  return space;
}

auto Key(const IalsTrial& t) {
  return std::make_tuple(t.factors, t.epochs, t.regularization,
                         t.regularization_exponent, t.alpha);
}

TEST(HyperparameterSearchTest, ParsesValueLists) {
  EXPECT_EQ(*ParseFloatList("alpha", "0.5, 2,10"),
            std::vector<float>({0.5f, 2.0f, 10.0f}));
  EXPECT_EQ(*ParseIntList("factors", "32,64"), std::vector<int32_t>({32, 64}));
  const absl::Status bad = ParseIntList("factors", "32,x").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("--factors"), absl::string_view::npos);
  EXPECT_NE(bad.message().find("\"x\""), absl::string_view::npos);
  EXPECT_FALSE(ParseFloatList("alpha", "").ok());
}

TEST(HyperparameterSearchTest, GridTriesEveryCombinationLastDimensionFastest) {
  const std::vector<IalsTrial> trials = GridTrials(Space());
  ASSERT_EQ(trials.size(), 12u);
  EXPECT_EQ(GridSize(Space()), 12);
  EXPECT_EQ(Key(trials[0]), std::make_tuple(32, 10, 1.0f, 0.0f, 0.5f));
  EXPECT_EQ(Key(trials[1]), std::make_tuple(32, 10, 1.0f, 0.0f, 2.0f));
  EXPECT_EQ(Key(trials[2]), std::make_tuple(32, 10, 10.0f, 0.0f, 0.5f));
  EXPECT_EQ(Key(trials[11]), std::make_tuple(64, 10, 100.0f, 0.0f, 2.0f));
  std::set<decltype(Key(trials[0]))> distinct;
  for (const IalsTrial& t : trials) distinct.insert(Key(t));
  EXPECT_EQ(distinct.size(), 12u);
}

TEST(HyperparameterSearchTest, RandomTrialsAreDistinctGridPointsAndSeeded) {
  const std::vector<IalsTrial> grid = GridTrials(Space());
  std::set<decltype(Key(grid[0]))> all;
  for (const IalsTrial& t : grid) all.insert(Key(t));

  const std::vector<IalsTrial> a = RandomTrials(Space(), 5, 7);
  const std::vector<IalsTrial> b = RandomTrials(Space(), 5, 7);
  ASSERT_EQ(a.size(), 5u);
  std::set<decltype(Key(grid[0]))> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(Key(a[i]), Key(b[i]));
    EXPECT_TRUE(all.count(Key(a[i])));
    seen.insert(Key(a[i]));
  }
  EXPECT_EQ(seen.size(), 5u);
  // More than the grid holds: the whole grid, once each.
  const std::vector<IalsTrial> capped = RandomTrials(Space(), 100, 7);
  std::set<decltype(Key(grid[0]))> capped_set;
  for (const IalsTrial& t : capped) capped_set.insert(Key(t));
  EXPECT_EQ(capped.size(), 12u);
  EXPECT_EQ(capped_set, all);
}

TEST(HyperparameterSearchTest, UnsearchedDimensionsTakeTheBaseSetting) {
  IalsOptions ials;
  ials.factors = 96;
  InteractionOptions interactions;
  interactions.weights.cart = 3;
  interactions.recency_half_life_days = 45;
  IalsSearchSpace space;
  space.alpha = {1, 2, 3};
  space = SearchSpaceAround(space, ials, interactions);
  EXPECT_EQ(GridSize(space), 3);
  EXPECT_EQ(space.factors, std::vector<int32_t>({96}));
  EXPECT_EQ(space.epochs, std::vector<int32_t>({ials.epochs}));
  EXPECT_EQ(space.alpha, std::vector<float>({1, 2, 3}));
  EXPECT_EQ(space.cart_weight, std::vector<float>({3}));
  EXPECT_EQ(space.recency_half_life_days, std::vector<float>({45}));
}

TEST(HyperparameterSearchTest, ApplyTrialSetsTheSearchedSettingsOnly) {
  IalsOptions ials;
  ials.cg_steps = 7;
  ials.seed = 9;
  InteractionOptions interactions;
  interactions.log_strength_epsilon = 2;
  ApplyTrial({128, 20, 15, 0.5, 0.1f, 1, 2, 3, 30}, &ials, &interactions);
  EXPECT_EQ(ials.factors, 128);
  EXPECT_EQ(ials.epochs, 20);
  EXPECT_FLOAT_EQ(ials.regularization, 15);
  EXPECT_FLOAT_EQ(ials.regularization_exponent, 0.5);
  EXPECT_FLOAT_EQ(ials.alpha, 0.1f);
  EXPECT_EQ(ials.cg_steps, 7);
  EXPECT_EQ(ials.seed, 9u);
  EXPECT_FLOAT_EQ(interactions.weights.view, 1);
  EXPECT_FLOAT_EQ(interactions.weights.cart, 2);
  EXPECT_FLOAT_EQ(interactions.weights.purchase, 3);
  EXPECT_DOUBLE_EQ(interactions.recency_half_life_days, 30);
  EXPECT_DOUBLE_EQ(interactions.log_strength_epsilon, 2);
}

TEST(HyperparameterSearchTest, TableHasOneRowPerTrialAndEveryMetric) {
  std::vector<TrialResult> results(2);
  results[0].trial = {32, 10, 1, 0, 0.5f, 1, 4, 10, 0};
  results[0].seconds = 1.25;
  results[0].metrics = {{"new/ndcg@10", 0.4}, {"new/recall@10", 0.2}};
  results[1].trial = {64, 15, 20, 0.5f, 2, 1, 2, 3, 30};
  results[1].seconds = 3;
  results[1].metrics = {{"new/ndcg@10", 0.48125}};
  EXPECT_EQ(TrialTableTsv(results),
            "trial\tfactors\tepochs\tregularization\tregularization_exponent"
            "\talpha\tview_weight\tcart_weight\tpurchase_weight"
            "\trecency_half_life_days\tseconds\tnew/ndcg@10\tnew/recall@10\n"
            "1\t32\t10\t1\t0\t0.5\t1\t4\t10\t0\t1.25\t0.4000\t0.2000\n"
            "2\t64\t15\t20\t0.5\t2\t1\t2\t3\t30\t3.00\t0.4813\t\n");
}

}  // namespace
}  // namespace recommender
