#include "recommender/campaigns/proportion_interval.h"

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

TEST(ProportionIntervalTest, WilsonMatchesPublishedValues) {
  // Newcombe (1998b) Table I: 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624
  // to 0.1605; 0/20 -> 0 to 0.1611; 1/29 -> 0.0061 to 0.1718.
  Interval a = *WilsonInterval(81, 263);
  EXPECT_NEAR(a.lower, 0.2553, 1e-4);
  EXPECT_NEAR(a.upper, 0.3662, 1e-4);
  Interval b = *WilsonInterval(15, 148);
  EXPECT_NEAR(b.lower, 0.0624, 1e-4);
  EXPECT_NEAR(b.upper, 0.1605, 1e-4);
  Interval c = *WilsonInterval(0, 20);
  EXPECT_EQ(c.lower, 0);
  EXPECT_NEAR(c.upper, 0.1611, 1e-4);
  Interval d = *WilsonInterval(1, 29);
  EXPECT_NEAR(d.lower, 0.0061, 1e-4);
  EXPECT_NEAR(d.upper, 0.1718, 1e-4);
  EXPECT_EQ(WilsonInterval(20, 20)->upper, 1);
}

TEST(ProportionIntervalTest, NewcombeMatchesThePaper) {
  // Newcombe (1998), Table II, method 10.
  Interval a = *NewcombeDifferenceInterval(56, 70, 48, 80);
  EXPECT_NEAR(a.estimate, 0.2, 1e-12);
  EXPECT_NEAR(a.lower, 0.0524, 1e-4);
  EXPECT_NEAR(a.upper, 0.3339, 1e-4);
  Interval b = *NewcombeDifferenceInterval(9, 10, 3, 10);
  EXPECT_NEAR(b.lower, 0.1705, 1e-4);
  EXPECT_NEAR(b.upper, 0.8090, 1e-4);
  Interval d = *NewcombeDifferenceInterval(5, 56, 0, 29);
  EXPECT_NEAR(d.lower, -0.0381, 1e-4);
  EXPECT_NEAR(d.upper, 0.1926, 1e-4);
  Interval e = *NewcombeDifferenceInterval(0, 10, 0, 20);
  EXPECT_NEAR(e.lower, -0.1611, 1e-4);
  EXPECT_NEAR(e.upper, 0.2775, 1e-4);
  // Symmetric: swapping the groups mirrors the interval.
  Interval swapped = *NewcombeDifferenceInterval(48, 80, 56, 70);
  EXPECT_NEAR(swapped.lower, -a.upper, 1e-12);
  EXPECT_NEAR(swapped.upper, -a.lower, 1e-12);
}

TEST(ProportionIntervalTest, WiderForLowerConfidenceIsNarrower) {
  Interval i95 = *NewcombeDifferenceInterval(120, 1000, 100, 1000, 0.95);
  Interval i80 = *NewcombeDifferenceInterval(120, 1000, 100, 1000, 0.80);
  EXPECT_LT(i95.lower, i80.lower);
  EXPECT_GT(i95.upper, i80.upper);
  EXPECT_TRUE(i95.Contains(0.02));
  EXPECT_FALSE(i95.AboveZero());
}

TEST(ProportionIntervalTest, BadCountsAreErrors) {
  EXPECT_EQ(WilsonInterval(1, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(WilsonInterval(5, 4).ok());
  EXPECT_FALSE(WilsonInterval(-1, 4).ok());
  EXPECT_FALSE(WilsonInterval(1, 4, 1.0).ok());
  EXPECT_FALSE(NewcombeDifferenceInterval(1, 4, 1, 0).ok());
}

}  // namespace
}  // namespace recommender::campaigns
