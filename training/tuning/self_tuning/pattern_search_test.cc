#include "training/tuning/self_tuning/pattern_search.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// A separable bowl with its top at (3, 1, 4).
double Bowl(const std::vector<int>& p) {
  return -std::pow(p[0] - 3, 2) - 2 * std::pow(p[1] - 1, 2) - std::pow(p[2] - 4, 2);
}

TEST(PatternSearchTest, FindsTheTopOfASeparableObjective) {
  int calls = 0;
  const PatternSearchResult result = PatternSearch(
      {6, 3, 6}, {0, 2, 5}, [&](const std::vector<int>& p) -> std::optional<double> {
        ++calls;
        return Bowl(p);
      });
  EXPECT_TRUE(result.converged);
  EXPECT_EQ(result.best, (std::vector<int>{3, 1, 4}));
  EXPECT_DOUBLE_EQ(result.best_objective, 0);
  EXPECT_EQ(result.evaluations, calls);
  // Far fewer trials than the 108 grid points, each point scored once.
  EXPECT_LT(calls, 30);
}

TEST(PatternSearchTest, StopsWhenTheObjectiveSaysSoAndKeepsTheBestSoFar) {
  int calls = 0;
  const PatternSearchResult result = PatternSearch(
      {6, 3, 6}, {0, 2, 5}, [&](const std::vector<int>& p) -> std::optional<double> {
        if (++calls > 4) return std::nullopt;
        return Bowl(p);
      });
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(result.evaluations, 4);
  EXPECT_GT(result.best_objective, Bowl({0, 2, 5}));
}

TEST(PatternSearchTest, SameObjectiveSameTrials) {
  std::vector<std::vector<int>> first, second;
  PatternSearch({4, 4}, {1, 1}, [&](const std::vector<int>& p) -> std::optional<double> {
    first.push_back(p);
    return -std::abs(p[0] - 2) - std::abs(p[1] - 3);
  });
  PatternSearch({4, 4}, {1, 1}, [&](const std::vector<int>& p) -> std::optional<double> {
    second.push_back(p);
    return -std::abs(p[0] - 2) - std::abs(p[1] - 3);
  });
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.back().size(), 2u);
}

// A narrow ridge along the diagonal, rising towards (5, 5): any single
// step off the diagonal falls more than the ridge rises.
double Ridge(const std::vector<int>& p) {
  return -10.0 * std::pow(p[0] - p[1], 2) - 0.1 * std::pow(p[0] + p[1] - 10, 2);
}

TEST(PatternSearchTest, CoupledDimensionsFollowARidgeSingleStepsCannot) {
  auto objective = [](const std::vector<int>& p) -> std::optional<double> {
    return Ridge(p);
  };
  const PatternSearchResult alone = PatternSearch({8, 8}, {1, 1}, objective);
  EXPECT_EQ(alone.best, (std::vector<int>{1, 1}));
  const PatternSearchResult together =
      PatternSearch({8, 8}, {1, 1}, objective, {{0, 1}});
  EXPECT_TRUE(together.converged);
  EXPECT_EQ(together.best, (std::vector<int>{5, 5}));
  EXPECT_DOUBLE_EQ(together.best_objective, 0);
  // Uncoupled dimensions still move on their own.
  const PatternSearchResult three = PatternSearch(
      {8, 8, 5}, {1, 1, 0},
      [](const std::vector<int>& p) -> std::optional<double> {
        return Ridge(p) - std::pow(p[2] - 3, 2);
      },
      {{0, 1}});
  EXPECT_EQ(three.best, (std::vector<int>{5, 5, 3}));
}

TEST(PatternSearchTest, NothingScoredWhenStoppedAtOnce) {
  const PatternSearchResult result = PatternSearch(
      {3}, {1}, [](const std::vector<int>&) -> std::optional<double> {
        return std::nullopt;
      });
  EXPECT_TRUE(result.best.empty());
  EXPECT_EQ(result.evaluations, 0);
}

}  // namespace
}  // namespace recommender
