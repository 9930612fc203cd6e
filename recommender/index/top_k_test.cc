#include "recommender/index/top_k.h"

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

std::vector<std::pair<int32_t, float>> Pairs(const std::vector<ScoredItem>& items) {
  std::vector<std::pair<int32_t, float>> out;
  for (const ScoredItem& s : items) out.emplace_back(s.item, s.score);
  return out;
}

TEST(TopKTest, KeepsTheKBestBestFirst) {
  TopK top(2);
  top.Offer(0, 0.5f);
  top.Offer(1, 0.9f);
  top.Offer(2, 0.1f);
  top.Offer(3, 0.7f);
  EXPECT_EQ(Pairs(top.Take()),
            (std::vector<std::pair<int32_t, float>>{{1, 0.9f}, {3, 0.7f}}));
}

TEST(TopKTest, FewerThanKOfferedAreAllKeptSorted) {
  TopK top(5);
  top.Offer(4, -1.0f);
  top.Offer(2, 3.0f);
  EXPECT_EQ(Pairs(top.Take()),
            (std::vector<std::pair<int32_t, float>>{{2, 3.0f}, {4, -1.0f}}));
}

// Equal scores: the smaller row wins, whatever the order of the offers.
TEST(TopKTest, TiesGoToTheSmallerRowInAnyScanOrder) {
  for (const std::vector<int32_t>& order :
       {std::vector<int32_t>{5, 2, 8, 1}, std::vector<int32_t>{8, 1, 5, 2}}) {
    TopK top(3);
    for (int32_t item : order) top.Offer(item, 1.0f);
    top.Offer(9, 0.5f);
    EXPECT_EQ(Pairs(top.Take()), (std::vector<std::pair<int32_t, float>>{
                                     {1, 1.0f}, {2, 1.0f}, {5, 1.0f}}));
  }
}

TEST(TopKTest, ThresholdIsTheWorstKeptOnceFull) {
  TopK top(2);
  EXPECT_EQ(top.threshold(), -INFINITY);
  top.Offer(0, 0.3f);
  EXPECT_EQ(top.threshold(), -INFINITY);
  top.Offer(1, 0.8f);
  EXPECT_EQ(top.threshold(), 0.3f);
  top.Offer(2, 0.5f);  // Pushes out 0.3.
  EXPECT_EQ(top.threshold(), 0.5f);
  top.Offer(3, 0.2f);  // Below: no change.
  EXPECT_EQ(top.threshold(), 0.5f);
}

TEST(TopKTest, TakeEmptiesIt) {
  TopK top(1);
  top.Offer(7, 2.0f);
  EXPECT_EQ(top.Take().size(), 1u);
  EXPECT_EQ(top.threshold(), -INFINITY);
  EXPECT_TRUE(top.Take().empty());
}

}  // namespace
}  // namespace recommender
