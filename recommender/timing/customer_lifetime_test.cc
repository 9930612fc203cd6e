#include "recommender/timing/customer_lifetime.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

const CustomerLifetimeModel kCdnow{{0.243, 4.414, 0.793, 2.426},
                                   {6.25, 3.74, 15.44},
                                   7};

TEST(CustomerLifetimeTest, FiguresForThePapersExampleCustomer) {
  const CustomerRfm example{2, 30.43, 38.86, 22.35};
  absl::StatusOr<CustomerLifetimeFigures> f =
      PredictCustomerLifetime(kCdnow, example, 39 * 7);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_NEAR(f->expected_orders, 1.226, 0.001);
  EXPECT_GT(f->probability_active, 0.5);
  EXPECT_LT(f->probability_order, f->expected_orders);
  EXPECT_NEAR(f->expected_order_value,
              6.25 * (15.44 + 2 * 22.35) / (6.25 * 2 + 3.74 - 1), 1e-9);
  // Undiscounted CLV is orders times value.
  EXPECT_NEAR(f->lifetime_value, f->expected_orders * f->expected_order_value,
              1e-6);
  absl::StatusOr<CustomerLifetimeFigures> discounted =
      PredictCustomerLifetime(kCdnow, example, 39 * 7, 0.2);
  ASSERT_TRUE(discounted.ok());
  EXPECT_LT(discounted->lifetime_value, f->lifetime_value);
  EXPECT_GT(discounted->lifetime_value, 0.85 * f->lifetime_value);
}

TEST(CustomerLifetimeTest, RejectsBadArguments) {
  const CustomerRfm c{1, 2, 3, 4};
  EXPECT_EQ(PredictCustomerLifetime(kCdnow, c, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PredictCustomerLifetime(kCdnow, c, 30, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PredictCustomerLifetime(CustomerLifetimeModel{}, c, 30)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace recommender
