#include "recommender/live/fold_in.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender {
namespace {

// One dimension, so the row solve is a division: items y0 = 1, y1 = 2
// (Y^T Y = 5); alpha 1 and lambda 0.1 (the builder's parameters). For
// strengths s_i the taste is
//   x = sum (1 + s_i) y_i / (5 + sum s_i y_i^2 + lambda).
// C0 bought I0 once: strength 10.
SnapshotContents Contents() {
  return TestSnapshotBuilder(1)
      .AddItem("I0", "a", {1.0f})
      .AddItem("I1", "a", {2.0f})
      .AddCustomer("C0", {0.5f}, {{"I0", 1700000000}})
      .Build();
}

std::unique_ptr<const ModelSnapshot> Snapshot(
    SnapshotContents contents = Contents()) {
  return *ModelSnapshot::FromContents(std::move(contents));
}

TEST(FoldInTest, AVisitorsViewsGiveAVector) {
  const auto model = Snapshot();
  const std::vector<float> taste = FoldIn(*model, std::nullopt, {{0, 1.0f}});
  ASSERT_EQ(taste.size(), 1u);
  EXPECT_NEAR(taste[0], 2 / 6.1, 1e-5);
  // Two items: (2 * 1 + 2 * 2) / (5 + 1 + 4 + 0.1).
  const std::vector<float> both =
      FoldIn(*model, std::nullopt, {{0, 1.0f}, {1, 1.0f}});
  ASSERT_EQ(both.size(), 1u);
  EXPECT_NEAR(both[0], 6 / 10.1, 1e-5);
}

TEST(FoldInTest, NewEventsJoinTheCustomersHistory) {
  const auto model = Snapshot();
  const std::optional<int32_t> c0 = model->FindCustomer("C0");
  ASSERT_TRUE(c0.has_value());
  std::vector<float> taste = FoldIn(*model, c0, {});
  ASSERT_EQ(taste.size(), 1u);
  EXPECT_NEAR(taste[0], 11 / 15.1, 1e-5);
  // A view of the same item adds its weight to the purchase's: strength 11.
  taste = FoldIn(*model, c0, {{0, 1.0f}});
  ASSERT_EQ(taste.size(), 1u);
  EXPECT_NEAR(taste[0], 12 / 16.1, 1e-5);
}

TEST(FoldInTest, NothingToFitOrNoParametersGiveNothing) {
  const auto model = Snapshot();
  EXPECT_TRUE(FoldIn(*model, std::nullopt, {}).empty());
  EXPECT_TRUE(FoldIn(*model, std::nullopt, {{0, 0.0f}}).empty());
  SnapshotContents contents = Contents();
  contents.manifest.mutable_parameters()->erase("alpha");
  const auto without = Snapshot(std::move(contents));
  EXPECT_TRUE(FoldIn(*without, std::nullopt, {{0, 1.0f}}).empty());
}

// Two blocks of one factor each, learned with their own settings: each is
// solved on its own against its column of the item factors. Block 0 as
// above; block 1 has y0 = 3, y1 = 1 (Y^T Y = 10), alpha 2, lambda 1:
//   x = (1 + 2 * 1) * 3 / (10 + 2 * 1 * 9 + 1) = 9 / 29 for one view of I0.
TEST(FoldInTest, EachFactorBlockIsFoldedInWithItsOwnSettings) {
  SnapshotContents contents = TestSnapshotBuilder(2)
                                  .AddItem("I0", "a", {1.0f, 3.0f})
                                  .AddItem("I1", "a", {2.0f, 1.0f})
                                  .Build();
  snapshot::FactorBlock* first = contents.manifest.add_factor_blocks();
  first->set_factors(1);
  first->set_alpha(1);
  first->set_regularization(0.1f);
  snapshot::FactorBlock* second = contents.manifest.add_factor_blocks();
  second->set_factors(1);
  second->set_alpha(2);
  second->set_regularization(1);
  const auto model = Snapshot(std::move(contents));
  const std::vector<float> taste = FoldIn(*model, std::nullopt, {{0, 1.0f}});
  ASSERT_EQ(taste.size(), 2u);
  EXPECT_NEAR(taste[0], 2 / 6.1, 1e-5);
  EXPECT_NEAR(taste[1], 9 / 29.0, 1e-5);
}

// log(1 + (e - 1) / 1) = 1: the same taste as a plain strength of 1.
TEST(FoldInTest, LogStrengthScaling) {
  SnapshotContents contents = Contents();
  (*contents.manifest.mutable_parameters())["log_strength_epsilon"] = "1";
  const auto model = Snapshot(std::move(contents));
  const std::vector<float> taste =
      FoldIn(*model, std::nullopt, {{0, static_cast<float>(M_E - 1)}});
  ASSERT_EQ(taste.size(), 1u);
  EXPECT_NEAR(taste[0], 2 / 6.1, 1e-5);
}

// lambda = 0.1 * (2 items + alpha * total strength 1)^1 = 0.3.
TEST(FoldInTest, FrequencyScaledRegularization) {
  SnapshotContents contents = Contents();
  (*contents.manifest.mutable_parameters())["regularization_exponent"] = "1";
  const auto model = Snapshot(std::move(contents));
  const std::vector<float> taste = FoldIn(*model, std::nullopt, {{0, 1.0f}});
  ASSERT_EQ(taste.size(), 1u);
  EXPECT_NEAR(taste[0], 2 / 6.3, 1e-5);
}

}  // namespace
}  // namespace recommender
