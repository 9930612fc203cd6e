#include "recommender/segments/lifetime_value.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/timing/snapshot_lifetime_model.h"

namespace recommender::segments {
namespace {

// The published CDNOW estimates (Fader, Hardie & Lee 2005), in weeks.
CustomerLifetimeModel Cdnow() {
  CustomerLifetimeModel model;
  model.bg_nbd = {0.243, 4.414, 0.793, 2.426};
  model.gamma_gamma = {6.25, 3.74, 15.44};
  model.days_per_unit = 7;
  return model;
}

TEST(LifetimeValueTest, EqualsTheUndiscountedLifetimeValueOfTheTimingModel) {
  for (const CustomerRfm& customer :
       {CustomerRfm{0, 0, 38.86, 0}, CustomerRfm{2, 30.43, 38.86, 22.5},
        CustomerRfm{7, 35.0, 38.0, 41.0}, CustomerRfm{1, 2.0, 60.0, 10.0}}) {
    for (double horizon : {30.0, 365.0, 1000.0}) {
      absl::StatusOr<double> value = LifetimeValue(Cdnow(), customer, horizon);
      absl::StatusOr<CustomerLifetimeFigures> figures =
          PredictCustomerLifetime(Cdnow(), customer, horizon, 0);
      ASSERT_TRUE(value.ok() && figures.ok());
      EXPECT_NEAR(*value, figures->lifetime_value,
                  1e-9 * figures->lifetime_value + 1e-12)
          << customer.frequency << " " << horizon;
      EXPECT_GT(*value, 0);
    }
  }
}

TEST(LifetimeValueTest, ZeroWithoutASpendModel) {
  CustomerLifetimeModel model = Cdnow();
  model.gamma_gamma = {};
  EXPECT_EQ(*LifetimeValue(model, {2, 30, 38, 20}, 365), 0);
}

TEST(LifetimeValueTest, ModelOfASnapshot) {
  SnapshotContents contents =
      TestSnapshotBuilder(2).AddItem("a", "c", {1, 0}).Build();
  auto without = ModelSnapshot::FromContents(std::move(contents));
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(LifetimeModelOf(**without).has_value());

  contents = TestSnapshotBuilder(2).AddItem("a", "c", {1, 0}).Build();
  snapshot::CustomerLifetimeModel* m = contents.timing.mutable_lifetime();
  m->set_bgnbd_r(0.243);
  m->set_bgnbd_alpha(4.414);
  m->set_bgnbd_a(0.793);
  m->set_bgnbd_b(2.426);
  m->set_days_per_unit(7);
  auto with = ModelSnapshot::FromContents(std::move(contents));
  ASSERT_TRUE(with.ok());
  std::optional<CustomerLifetimeModel> model = LifetimeModelOf(**with);
  ASSERT_TRUE(model.has_value());
  EXPECT_DOUBLE_EQ(model->bg_nbd.alpha, 4.414);
  EXPECT_DOUBLE_EQ(model->days_per_unit, 7);
}

TEST(LifetimeValueTest, DecilesSkipUnknownValues) {
  std::vector<float> values;
  for (int i = 0; i < 20; ++i) values.push_back(static_cast<float>(i));
  values.push_back(NAN);
  const std::vector<uint8_t> deciles = LifetimeValueDeciles(values);
  EXPECT_EQ(deciles[0], 1);
  EXPECT_EQ(deciles[1], 1);
  EXPECT_EQ(deciles[2], 2);
  EXPECT_EQ(deciles[19], 10);
  EXPECT_EQ(deciles[20], 0);
}

}  // namespace
}  // namespace recommender::segments
