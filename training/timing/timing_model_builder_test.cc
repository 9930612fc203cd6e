#include "training/timing/timing_model_builder.h"

#include <cmath>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kStart = 1700000000;

// Twelve customers each buy the consumable beans three times, 18 then 22
// days apart (24 re-purchase intervals), and the durable mug once.
SnapshotContents Shop(int customers = 12) {
  TestSnapshotBuilder builder(1);
  builder.AddItem("beans", "food/coffee", {1.0f}, snapshot::CONSUMABLE)
      .AddItem("mug", "kitchen/cups", {1.0f}, snapshot::DURABLE);
  for (int c = 0; c < customers; ++c) {
    const int64_t first = kStart + c * 5 * kDay;
    builder.AddCustomer("C" + std::to_string(c), {1.0f},
                        {{"mug", first},
                         {"beans", first},
                         {"beans", first + 18 * kDay},
                         {"beans", first + 40 * kDay}});
  }
  return builder.Build();
}

TimingModelOptions Options() {
  TimingModelOptions options;
  options.utc_offset_seconds = 3600;
  options.fit_pareto_nbd = false;
  options.seed = 3;
  return options;
}

TEST(TimingModelBuilderTest, RepurchaseIntervalsOfConsumablesOnly) {
  std::ostringstream log;
  google::protobuf::Map<std::string, double> metrics;
  const snapshot::TimingModel timing =
      BuildTimingModel(Shop(), Options(), log, &metrics);
  EXPECT_EQ(timing.utc_offset_seconds(), 3600);
  const snapshot::RepurchaseModel& repurchase = timing.repurchase();
  EXPECT_EQ(repurchase.num_intervals(), 24);
  EXPECT_EQ(metrics["timing_repurchase_intervals"], 24);
  ASSERT_EQ(repurchase.items_size(), 2);  // One per item, in item order.
  EXPECT_TRUE(repurchase.items(0).consumable());
  EXPECT_EQ(repurchase.items(0).num_intervals(), 24);
  // Every customer alike: the typical interval is the geometric mean of 18
  // and 22 days.
  EXPECT_NEAR(repurchase.items(0).log_mean(), (std::log(18.0) + std::log(22.0)) / 2,
              0.02);
  EXPECT_FALSE(repurchase.items(1).consumable());
  EXPECT_EQ(repurchase.items(1).num_intervals(), 0);
}

TEST(TimingModelBuilderTest, LifetimeCountsBuyersAndFitsOnASample) {
  TimingModelOptions options = Options();
  options.fit_max_customers = 5;
  std::ostringstream log;
  google::protobuf::Map<std::string, double> metrics;
  const snapshot::TimingModel timing =
      BuildTimingModel(Shop(), options, log, &metrics);
  ASSERT_TRUE(timing.has_lifetime()) << log.str();
  EXPECT_EQ(timing.lifetime().customers(), 12);
  EXPECT_EQ(timing.lifetime().fit_customers(), 5);
  EXPECT_EQ(timing.lifetime().days_per_unit(), 1);
  EXPECT_EQ(metrics["timing_fit_customers"], 5);
  EXPECT_EQ(metrics["timing_bgnbd_converged"], 1);
  EXPECT_GT(timing.lifetime().bgnbd_r(), 0);
  EXPECT_GT(timing.lifetime().bgnbd_alpha(), 0);
  // Pareto/NBD was not asked for.
  EXPECT_EQ(timing.lifetime().pareto_r(), 0);
  EXPECT_EQ(metrics.count("timing_pareto_nbd_converged"), 0u);
}

TEST(TimingModelBuilderTest, SameSeedSameModel) {
  TimingModelOptions options = Options();
  options.fit_max_customers = 5;
  std::ostringstream log;
  const snapshot::TimingModel a = BuildTimingModel(Shop(), options, log);
  const snapshot::TimingModel b = BuildTimingModel(Shop(), options, log);
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

// Too little to fit: each part is left out and the log says why.
TEST(TimingModelBuilderTest, PartsThatCannotBeFittedAreLeftOut) {
  std::ostringstream log;
  google::protobuf::Map<std::string, double> metrics;
  const snapshot::TimingModel timing =
      BuildTimingModel(Shop(/*customers=*/2), Options(), log, &metrics);
  EXPECT_FALSE(timing.has_repurchase());  // 4 intervals, fewer than 10.
  EXPECT_EQ(metrics["timing_repurchase_intervals"], 0);
  EXPECT_NE(log.str().find("timing: no repurchase model: "), std::string::npos)
      << log.str();

  std::ostringstream empty_log;
  const snapshot::TimingModel empty =
      BuildTimingModel(TestSnapshotBuilder(1).AddItem("mug", "k", {1.0f}).Build(),
                       Options(), empty_log);
  EXPECT_FALSE(empty.has_lifetime());
  EXPECT_FALSE(empty.has_repurchase());
  EXPECT_NE(empty_log.str().find("timing: no customer-level model: "),
            std::string::npos)
      << empty_log.str();
}

}  // namespace
}  // namespace recommender
