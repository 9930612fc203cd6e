#include "recommender/segments/quantile_scores.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::segments {
namespace {

TEST(QuantileScoresTest, DistinctValuesFallIntoEqualGroups) {
  std::vector<double> values;
  for (int i = 0; i < 10; ++i) values.push_back(100 - i * 7.5);
  // Ascending order is the reverse of insertion: rows 9, 8 lowest.
  EXPECT_EQ(QuantileScores(values, 5),
            (std::vector<uint8_t>{5, 5, 4, 4, 3, 3, 2, 2, 1, 1}));
  EXPECT_EQ(QuantileScores(values, 10),
            (std::vector<uint8_t>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(QuantileScoresTest, TiesShareTheirMidRankScore) {
  // Six of ten tie at the bottom: mid-rank share 0.3, score 2; the next
  // two (share 0.7) score 4; nobody scores 1 or 3.
  const std::vector<double> values = {1, 1, 1, 1, 1, 1, 2, 2, 5, 9};
  EXPECT_EQ(QuantileScores(values, 5),
            (std::vector<uint8_t>{2, 2, 2, 2, 2, 2, 4, 4, 5, 5}));
  // Everyone equal: the middle score.
  EXPECT_EQ(QuantileScores(std::vector<double>{7, 7, 7}, 5),
            (std::vector<uint8_t>{3, 3, 3}));
}

TEST(QuantileScoresTest, UnknownValuesScoreZeroAndDoNotCount) {
  const std::vector<double> values = {NAN, 10, 20, NAN, 30, 40, 50};
  EXPECT_EQ(QuantileScores(values, 5),
            (std::vector<uint8_t>{0, 1, 2, 0, 3, 4, 5}));
  EXPECT_TRUE(QuantileScores({}, 5).empty());
}

TEST(QuantileScoresTest, LargeGroupsAreEvenWithinOne) {
  std::vector<double> values;
  for (int i = 0; i < 1003; ++i) values.push_back((i * 7919) % 1003);
  const std::vector<uint8_t> scores = QuantileScores(values, 10);
  std::vector<int> counts(11, 0);
  for (uint8_t s : scores) ++counts[s];
  EXPECT_EQ(counts[0], 0);
  for (int g = 1; g <= 10; ++g) {
    EXPECT_GE(counts[g], 100) << g;
    EXPECT_LE(counts[g], 101) << g;
  }
}

}  // namespace
}  // namespace recommender::segments
