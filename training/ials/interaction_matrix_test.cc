#include "training/ials/interaction_matrix.h"

#include <cmath>

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(InteractionMatrixTest, SumsEventWeightsPerCustomerAndItem) {
  std::vector<Event> events = {
      {0, 1, EventType::kView, 1, 10, 0},
      {0, 1, EventType::kPurchase, 1, 20, 0},
      {0, 2, EventType::kCart, 1, 30, 0},
      {2, 1, EventType::kView, 1, 40, 0},
  };
  InteractionMatrix m =
      InteractionMatrix::FromEvents(3, 4, events, EventWeights{1, 4, 10});
  EXPECT_EQ(m.num_rows(), 3);
  EXPECT_EQ(m.num_columns(), 4);
  EXPECT_EQ(m.num_nonzeros(), 3);
  EXPECT_EQ(std::vector<int32_t>(m.RowIndices(0).begin(), m.RowIndices(0).end()),
            (std::vector<int32_t>{1, 2}));
  EXPECT_FLOAT_EQ(m.RowValues(0)[0], 11);
  EXPECT_FLOAT_EQ(m.RowValues(0)[1], 4);
  EXPECT_TRUE(m.RowIndices(1).empty());
  EXPECT_EQ(std::vector<int32_t>(m.ColumnIndices(1).begin(),
                                 m.ColumnIndices(1).end()),
            (std::vector<int32_t>{0, 2}));
  EXPECT_FLOAT_EQ(m.ColumnValues(1)[1], 1);
  EXPECT_TRUE(m.ColumnIndices(3).empty());
}

TEST(InteractionMatrixTest, ZeroWeightEventsAreDropped) {
  std::vector<Event> events = {{0, 0, EventType::kView, 1, 10, 0}};
  InteractionMatrix m =
      InteractionMatrix::FromEvents(1, 1, events, EventWeights{0, 4, 10});
  EXPECT_EQ(m.num_nonzeros(), 0);
}

TEST(InteractionMatrixTest, RecencyDecayHalvesAnEventPerHalfLife) {
  constexpr int64_t kDay = 86400;
  const int64_t now = 100 * kDay;
  std::vector<Event> events = {
      {0, 0, EventType::kPurchase, 1, now, 0},            // today: 10
      {0, 1, EventType::kPurchase, 1, now - 30 * kDay, 0},  // 1 half-life: 5
      {0, 1, EventType::kView, 1, now - 60 * kDay, 0},      // 2: 0.25
      {0, 2, EventType::kPurchase, 1, now + kDay, 0},       // after: 10
  };
  InteractionOptions options;
  options.weights = EventWeights{1, 4, 10};
  options.recency_half_life_days = 30;
  InteractionMatrix m = InteractionMatrix::FromEvents(1, 3, events, options, now);
  ASSERT_EQ(m.num_nonzeros(), 3);
  EXPECT_FLOAT_EQ(m.RowValues(0)[0], 10);
  EXPECT_FLOAT_EQ(m.RowValues(0)[1], 5.25f);
  EXPECT_FLOAT_EQ(m.RowValues(0)[2], 10);
  EXPECT_FLOAT_EQ(m.ColumnValues(1)[0], 5.25f);
}

TEST(InteractionMatrixTest, LogStrengthScalesTheSummedWeights) {
  std::vector<Event> events = {
      {0, 0, EventType::kPurchase, 1, 10, 0},
      {0, 0, EventType::kPurchase, 1, 20, 0},
      {0, 1, EventType::kView, 1, 30, 0},
  };
  InteractionOptions options;
  options.weights = EventWeights{1, 4, 10};
  options.log_strength_epsilon = 2;
  InteractionMatrix m = InteractionMatrix::FromEvents(1, 2, events, options, 30);
  EXPECT_FLOAT_EQ(m.RowValues(0)[0], std::log1p(20.0f / 2));
  EXPECT_FLOAT_EQ(m.RowValues(0)[1], std::log1p(1.0f / 2));
  EXPECT_FLOAT_EQ(m.ColumnValues(0)[0], std::log1p(20.0f / 2));
}

}  // namespace
}  // namespace recommender
