#include "recommender/campaigns/sample_size.h"

#include "gtest/gtest.h"

namespace recommender::campaigns {
namespace {

TEST(SampleSizeTest, TextbookEqualGroups) {
  // 10% vs 20%, alpha 0.05 two-sided, power 0.8: 199 per group (Fleiss,
  // Levin & Paik; without continuity correction).
  SampleSizeQuestion q;
  q.baseline_rate = 0.10;
  q.uplift = 0.10;
  q.control_share = 0.5;
  absl::StatusOr<SampleSize> size = RequiredSampleSize(q);
  ASSERT_TRUE(size.ok()) << size.status();
  EXPECT_EQ(size->control, 199);
  EXPECT_EQ(size->mailed, 199);
  EXPECT_EQ(size->total, 398);
  // Power 0.9 needs more: 266 per group.
  q.power = 0.9;
  EXPECT_EQ(RequiredSampleSize(q)->control, 266);
}

TEST(SampleSizeTest, ASmallControlShareNeedsALargerAudience) {
  SampleSizeQuestion q;
  q.baseline_rate = 0.05;
  q.uplift = 0.01;
  q.control_share = 0.5;
  const SampleSize half = *RequiredSampleSize(q);
  q.control_share = 0.1;
  const SampleSize tenth = *RequiredSampleSize(q);
  EXPECT_LT(tenth.control, half.control);
  EXPECT_GT(tenth.total, half.total);
  EXPECT_NEAR(static_cast<double>(tenth.mailed) / tenth.control, 9, 0.01);
}

TEST(SampleSizeTest, MinimumDetectableUpliftInvertsTheSize) {
  SampleSizeQuestion q;
  q.baseline_rate = 0.05;
  q.uplift = 0.01;
  q.control_share = 0.1;
  const SampleSize size = *RequiredSampleSize(q);
  absl::StatusOr<double> mde = MinimumDetectableUplift(q, size.total);
  ASSERT_TRUE(mde.ok());
  EXPECT_NEAR(*mde, 0.01, 1e-4);
  EXPECT_LT(*MinimumDetectableUplift(q, 10 * size.total), *mde);
  // Tiny audiences cannot detect anything but huge uplifts.
  EXPECT_GT(*MinimumDetectableUplift(q, 10), 0.5);
  EXPECT_LE(*MinimumDetectableUplift(q, 10), 0.95);
}

TEST(SampleSizeTest, BadQuestionsNameTheField) {
  SampleSizeQuestion q;
  q.control_share = 0;
  EXPECT_EQ(RequiredSampleSize(q).status().message(),
            "control_share: must be between 0 and 1 (exclusive), got 0");
  q = SampleSizeQuestion();
  q.uplift = 0;
  EXPECT_EQ(RequiredSampleSize(q).status().message(), "uplift: must not be 0");
  q.uplift = 0.99;
  EXPECT_NE(RequiredSampleSize(q).status().message().find("baseline_rate + uplift"),
            absl::string_view::npos);
  EXPECT_NE(MinimumDetectableUplift(SampleSizeQuestion(), 1).status().message().find(
                "customers"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender::campaigns
