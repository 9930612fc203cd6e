#include "recommender/segments/rfm_scores.h"

#include <map>

#include "gtest/gtest.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::segments {
namespace {

TEST(RfmScoresTest, NamedSegmentsPartitionTheGrid) {
  const char* const expected[5][5] = {
      // F:  1               2                3                 4            5
      {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},  // R 1
      {"hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"},  // R 2
      {"about_to_sleep", "about_to_sleep", "need_attention", "loyal",
       "loyal"},  // R 3
      {"promising", "potential_loyalists", "potential_loyalists", "loyal",
       "loyal"},  // R 4
      {"new", "potential_loyalists", "potential_loyalists", "champions",
       "champions"},  // R 5
  };
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      EXPECT_EQ(RfmSegmentName(RfmSegmentOf(r, f)), expected[r - 1][f - 1])
          << r << f;
    }
  }
  EXPECT_EQ(RfmSegmentOf(0, 3), RfmSegment::kNone);
  EXPECT_EQ(RfmSegmentOf(3, 6), RfmSegment::kNone);
}

TEST(RfmScoresTest, NamesRoundTripAndHaveRules) {
  for (int k = 1; k < kNumRfmSegments; ++k) {
    const RfmSegment s = static_cast<RfmSegment>(k);
    EXPECT_EQ(ParseRfmSegment(RfmSegmentName(s)), s);
    EXPECT_FALSE(RfmSegmentRule(s).empty());
  }
  EXPECT_FALSE(ParseRfmSegment("none").has_value());
  EXPECT_FALSE(ParseRfmSegment("At_Risk").has_value());
}

TEST(RfmScoresTest, ScoresFollowRecencyFrequencyAndSpend) {
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(kTestingShopEnd);
  auto facts = CustomerFacts::Build(MakeTestingShop(2000), options);
  ASSERT_TRUE(facts.ok());
  const CustomerFacts& f = **facts;
  const RfmScores scores = ScoreRfm(f);
  int64_t scored = 0;
  std::map<int, int64_t> r_counts;
  for (int32_t c = 0; c < f.size(); ++c) {
    if (f.orders()[c] == 0) {
      EXPECT_EQ(scores.r[c], 0);
      EXPECT_EQ(scores.segment[c], RfmSegment::kNone);
      continue;
    }
    ++scored;
    ++r_counts[scores.r[c]];
    EXPECT_EQ(scores.segment[c], RfmSegmentOf(scores.r[c], scores.f[c]));
  }
  EXPECT_EQ(scores.scored, scored);
  // Recency days are spread widely: each quintile holds about a fifth.
  for (int r = 1; r <= 5; ++r) {
    EXPECT_NEAR(static_cast<double>(r_counts[r]) / scored, 0.2, 0.03) << r;
  }
  // Monotone: a later last order never scores lower R; more orders never
  // lower F; more revenue never lower M.
  for (int32_t a = 0; a < f.size(); a += 7) {
    for (int32_t b = 1; b < f.size(); b += 11) {
      if (f.orders()[a] == 0 || f.orders()[b] == 0) continue;
      if (f.last_purchase_day()[a] > f.last_purchase_day()[b]) {
        EXPECT_GE(scores.r[a], scores.r[b]);
      }
      if (f.orders()[a] > f.orders()[b]) {
        EXPECT_GE(scores.f[a], scores.f[b]);
      }
      if (f.revenue()[a] > f.revenue()[b]) {
        EXPECT_GE(scores.m[a], scores.m[b]);
      }
    }
  }
}

}  // namespace
}  // namespace recommender::segments
