#include "recommender/campaigns/mean_difference.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/campaigns/splitmix.h"

namespace recommender::campaigns {
namespace {

TEST(MeanDifferenceTest, StudentTQuantilesMatchTables) {
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.3027, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 5), 2.5706, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 10), 2.2281, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.0423, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 100), 1.9840, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.95, 10), 1.8125, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.995, 20), 2.8453, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.025, 10), -2.2281, 1e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e9), 1.959964, 1e-6);
  EXPECT_EQ(StudentTQuantile(0.5, 3), 0);
  EXPECT_TRUE(std::isnan(StudentTQuantile(1, 3)));
  // The distribution function at the quantiles, and the Cauchy case.
  EXPECT_NEAR(StudentTCdf(2.2281389, 10), 0.975, 1e-7);
  EXPECT_NEAR(StudentTCdf(1, 1), 0.75, 1e-12);
  EXPECT_NEAR(StudentTCdf(-1, 1), 0.25, 1e-12);
}

TEST(MeanDifferenceTest, WelchOnAPublishedExample) {
  // Welch's t-test, the two samples of 15 of Wikipedia's first example:
  // t = -2.46, df = 24.99, two-sided p = 0.021.
  const std::vector<double> a = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
                                 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
  const std::vector<double> b = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
                                 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
  const MeanSummary sa = Summarize(a), sb = Summarize(b);
  double df = 0;
  absl::StatusOr<Interval> d = WelchDifferenceInterval(sa, sb, 0.95, &df);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_NEAR(d->estimate, -2.16667, 1e-5);
  EXPECT_NEAR(df, 24.99, 0.01);
  const double se = std::sqrt(sa.variance / 15 + sb.variance / 15);
  EXPECT_NEAR(d->estimate / se, -2.46, 0.005);
  EXPECT_NEAR(2 * StudentTCdf(d->estimate / se, df), 0.021, 0.0005);
  // The interval excludes 0, as p < 0.05 says it must.
  EXPECT_NEAR(d->upper, -0.349, 0.001);
  EXPECT_NEAR(d->lower, -3.984, 0.001);
  EXPECT_TRUE(d->BelowZero());
}

TEST(MeanDifferenceTest, SummaryIsStable) {
  std::vector<double> values;
  for (int i = 0; i < 1000; ++i) values.push_back(1e9 + (i % 2));
  const MeanSummary s = Summarize(values);
  EXPECT_EQ(s.count, 1000);
  EXPECT_NEAR(s.mean, 1e9 + 0.5, 1e-6);
  EXPECT_NEAR(s.variance, 0.25 * 1000 / 999, 1e-9);
}

TEST(MeanDifferenceTest, ConstantGroupsGiveAPointAndFewValuesAnError) {
  const std::vector<double> zeros(10, 0.0), ones(10, 1.0);
  absl::StatusOr<Interval> d =
      WelchDifferenceInterval(Summarize(ones), Summarize(zeros));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lower, 1);
  EXPECT_EQ(d->upper, 1);
  const std::vector<double> one = {3.0};
  EXPECT_EQ(WelchDifferenceInterval(Summarize(one), Summarize(zeros))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MeanDifferenceTest, BootstrapAgreesWithWelchOnLargeGroups) {
  // Skewed spend: 90% zeros, the rest exponential around 3,000.
  SplitMix64 random(7);
  std::vector<double> mailed, control;
  for (int i = 0; i < 4000; ++i) {
    const double u = random.Uniform();
    mailed.push_back(u < 0.12 ? -3000 * std::log(1 - random.Uniform()) : 0);
  }
  for (int i = 0; i < 4000; ++i) {
    const double u = random.Uniform();
    control.push_back(u < 0.10 ? -3000 * std::log(1 - random.Uniform()) : 0);
  }
  absl::StatusOr<Interval> welch =
      WelchDifferenceInterval(Summarize(mailed), Summarize(control));
  absl::StatusOr<Interval> boot =
      BootstrapDifferenceInterval(mailed, control, 2000, 42);
  ASSERT_TRUE(welch.ok() && boot.ok());
  EXPECT_DOUBLE_EQ(boot->estimate, welch->estimate);
  const double width = welch->upper - welch->lower;
  EXPECT_NEAR(boot->lower, welch->lower, 0.1 * width);
  EXPECT_NEAR(boot->upper, welch->upper, 0.1 * width);
  // Seeded: the same seed gives the same interval.
  absl::StatusOr<Interval> again =
      BootstrapDifferenceInterval(mailed, control, 2000, 42);
  EXPECT_EQ(again->lower, boot->lower);
  EXPECT_EQ(again->upper, boot->upper);
}

TEST(MeanDifferenceTest, BootstrapArgumentsAreChecked) {
  const std::vector<double> a = {1, 2, 3}, empty;
  EXPECT_NE(BootstrapDifferenceInterval(a, empty, 1000, 1)
                .status()
                .message()
                .find("groups"),
            absl::string_view::npos);
  EXPECT_NE(BootstrapDifferenceInterval(a, a, 10, 1).status().message().find(
                "resamples"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender::campaigns
