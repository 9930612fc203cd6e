// The published figures on the CDNOW sample (../shared/data/README.md):
// Fader, Hardie & Lee (2005) for BG/NBD and Pareto/NBD, Fader, Hardie &
// Lee (2005b) for the Gamma-Gamma spend model, calibration period ending
// 1997-09-30 (weeks 1-39).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/testing/shared_data.h"
#include "training/timing/btyd/btyd_fitter.h"
#include "training/timing/btyd/purchase_log.h"

namespace recommender {
namespace {

constexpr double kWeek = 7;

std::vector<CustomerRfm> CalibrationSummaries() {
  absl::StatusOr<std::string> path =
      testing::SharedDataPath("cdnow/CDNOW_sample.txt");
  EXPECT_TRUE(path.ok()) << path.status();
  if (!path.ok()) return {};
  absl::StatusOr<PurchaseLog> log = ReadCdnowFile(*path);
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return {};
  return SummarizeLog(*log, DayNumber(absl::CivilDay(1997, 9, 30)), kWeek);
}

TEST(CdnowFitTest, SummariesMatchThePublishedSummaryFile) {
  const std::vector<CustomerRfm> summaries = CalibrationSummaries();
  ASSERT_EQ(summaries.size(), 2357u);
  absl::StatusOr<std::string> path =
      testing::SharedDataPath("cdnow/cdnow_customers_summary_with_transactions.csv");
  ASSERT_TRUE(path.ok()) << path.status();
  std::ifstream file(*path);
  std::string line;
  std::getline(file, line);  // ID,x,t_x,T,zbar
  size_t row = 0;
  while (std::getline(file, line)) {
    const std::vector<std::string> fields = absl::StrSplit(line, ',');
    ASSERT_EQ(fields.size(), 5u);
    double x, t_x, age, zbar;
    ASSERT_TRUE(absl::SimpleAtod(fields[1], &x));
    ASSERT_TRUE(absl::SimpleAtod(fields[2], &t_x));
    ASSERT_TRUE(absl::SimpleAtod(fields[3], &age));
    ASSERT_TRUE(absl::SimpleAtod(fields[4], &zbar));
    ASSERT_LT(row, summaries.size());
    const CustomerRfm& c = summaries[row++];
    EXPECT_EQ(c.frequency, x) << "customer " << fields[0];
    EXPECT_NEAR(c.recency, t_x, 0.006) << "customer " << fields[0];
    EXPECT_NEAR(c.age, age, 0.006) << "customer " << fields[0];
    EXPECT_NEAR(c.mean_repeat_value, zbar, 0.006) << "customer " << fields[0];
  }
  EXPECT_EQ(row, summaries.size());
}

TEST(CdnowFitTest, BgNbdReproducesFaderHardieLee2005) {
  const std::vector<CustomerRfm> summaries = CalibrationSummaries();
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(summaries);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->parameters.r, 0.243, 0.002);
  EXPECT_NEAR(fit->parameters.alpha, 4.414, 0.002);
  EXPECT_NEAR(fit->parameters.a, 0.793, 0.002);
  EXPECT_NEAR(fit->parameters.b, 2.426, 0.002);
  EXPECT_NEAR(fit->log_likelihood, -9582.4, 0.1);
  // The paper's example customer: x = 2, t_x = 30.43, T = 38.86.
  const CustomerRfm example{2, 30.43, 38.86, 0};
  absl::StatusOr<double> expected =
      BgNbdExpectedPurchases(fit->parameters, example, 39);
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_NEAR(*expected, 1.226, 0.001);
}

TEST(CdnowFitTest, ParetoNbdReproducesThePublishedFit) {
  const std::vector<CustomerRfm> summaries = CalibrationSummaries();
  absl::StatusOr<ParetoNbdFit> fit = FitParetoNbd(summaries);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->parameters.r, 0.553, 0.002);
  EXPECT_NEAR(fit->parameters.alpha, 10.578, 0.002);
  EXPECT_NEAR(fit->parameters.s, 0.606, 0.002);
  EXPECT_NEAR(fit->parameters.beta, 11.669, 0.002);
  EXPECT_NEAR(fit->log_likelihood, -9595.0, 0.1);
}

// Fader, Hardie & Lee (2005b): p = 6.25, q = 3.74, gamma = 15.44 on the
// 946 customers with repeat purchases.
TEST(CdnowFitTest, GammaGammaReproducesFaderHardieLee2005b) {
  const std::vector<CustomerRfm> summaries = CalibrationSummaries();
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma(summaries);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->customers_used, 946);
  EXPECT_NEAR(fit->parameters.p, 6.25, 0.01);
  EXPECT_NEAR(fit->parameters.q, 3.74, 0.01);
  EXPECT_NEAR(fit->parameters.gamma, 15.44, 0.01);
}

}  // namespace
}  // namespace recommender
