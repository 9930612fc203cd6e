#include "recommender/index/top_k.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
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

TEST(TopKTest, TakeEmptiesIt) {
  TopK top(1);
  top.Offer(7, 2.0f);
  EXPECT_EQ(top.Take().size(), 1u);
  EXPECT_EQ(top.threshold(), -INFINITY);
  EXPECT_TRUE(top.Take().empty());
}

// The k best of `offers` by sorting them all: higher score, then lower row.
std::vector<ScoredItem> Reference(std::vector<ScoredItem> offers, int k) {
  std::sort(offers.begin(), offers.end(),
            [](const ScoredItem& a, const ScoredItem& b) {
              return a.score > b.score ||
                     (a.score == b.score && a.item < b.item);
            });
  offers.resize(std::min<size_t>(offers.size(), k));
  return offers;
}

TEST(TopKTest, KeepsTheKBestInOrderWhateverTheOfferOrder) {
  std::mt19937 random(17);
  for (int k : {1, 2, 7, 50, 116}) {
    for (int n : {0, 1, k - 1, k, k + 1, 2 * k, 2 * k + 1, 500, 5000}) {
      if (n < 0) continue;
      std::vector<ScoredItem> offers;
      for (int i = 0; i < n; ++i) {
        // Few distinct scores: many ties for the row to break.
        offers.push_back({i, static_cast<float>(random() % 20) / 4});
      }
      std::shuffle(offers.begin(), offers.end(), random);
      TopK top(k);
      for (const ScoredItem& offer : offers) {
        // As the scans do: only what reaches the threshold.
        if (offer.score >= top.threshold()) top.Offer(offer.item, offer.score);
      }
      const std::vector<ScoredItem> kept = top.Take();
      const std::vector<ScoredItem> expected = Reference(offers, k);
      ASSERT_EQ(kept.size(), expected.size()) << "k " << k << " n " << n;
      for (size_t i = 0; i < kept.size(); ++i) {
        EXPECT_EQ(kept[i].item, expected[i].item) << "k " << k << " n " << n;
        EXPECT_EQ(kept[i].score, expected[i].score);
      }
    }
  }
}

TEST(TopKTest, ThresholdNeverExceedsTheKthBest) {
  TopK top(3);
  EXPECT_EQ(top.threshold(), -std::numeric_limits<float>::infinity());
  for (int i = 0; i < 10; ++i) top.Offer(i, static_cast<float>(i));
  EXPECT_LE(top.threshold(), 7.0f);
  EXPECT_GT(top.threshold(), -std::numeric_limits<float>::infinity());
  const std::vector<ScoredItem> kept = top.Take();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].item, 9);
  EXPECT_EQ(kept[2].item, 7);
  EXPECT_EQ(top.threshold(), -std::numeric_limits<float>::infinity());
}

}  // namespace
}  // namespace recommender
