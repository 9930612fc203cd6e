#include "recommender/data/event_weights.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(EventWeightsTest, DefaultsRankPurchaseOverCartOverView) {
  const EventWeights weights;
  EXPECT_EQ(weights.Of(EventType::kView), 1);
  EXPECT_EQ(weights.Of(EventType::kCart), 4);
  EXPECT_EQ(weights.Of(EventType::kPurchase), 10);
}

TEST(EventWeightsTest, OfReadsTheFieldOfItsType) {
  const EventWeights weights{0.5f, 2, 7};
  EXPECT_EQ(weights.Of(EventType::kView), 0.5f);
  EXPECT_EQ(weights.Of(EventType::kCart), 2);
  EXPECT_EQ(weights.Of(EventType::kPurchase), 7);
}

}  // namespace
}  // namespace recommender
