#include "serving/timing_conversions.h"

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(TimingConversionsTest, HorizonDefaultsWhenZero) {
  v1::PredictNextPurchaseRequest request;
  EXPECT_EQ(HorizonDays(request), kDefaultHorizonDays);
  request.set_horizon_days(90);
  EXPECT_EQ(HorizonDays(request), 90);
}

TEST(TimingConversionsTest, DueSelectionFromTheRequest) {
  v1::ListDueCustomersRequest request;
  request.set_due_from("2026-02-01");
  request.set_due_to("2026-02-07");
  request.add_categories("food/coffee");
  request.set_min_probability_active(0.5);
  request.set_include_lapsed(true);
  const absl::Time as_of = absl::FromUnixSeconds(1767225600);
  absl::StatusOr<DueSelection> selection = FromProto(request, as_of);
  ASSERT_TRUE(selection.ok()) << selection.status();
  EXPECT_EQ(selection->as_of, as_of);
  EXPECT_EQ(selection->due_from, absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(selection->due_to, absl::CivilDay(2026, 2, 7));
  EXPECT_EQ(selection->categories, std::vector<std::string>{"food/coffee"});
  EXPECT_EQ(selection->min_probability_active, 0.5);
  EXPECT_TRUE(selection->include_lapsed);
  EXPECT_EQ(selection->max_customers, kDefaultMaxDueCustomers);
  request.set_max_customers(5);
  EXPECT_EQ(FromProto(request, as_of)->max_customers, 5);
}

TEST(TimingConversionsTest, BadDaysNameTheField) {
  v1::ListDueCustomersRequest request;
  request.set_due_from("2026-02-01");
  request.set_due_to("next week");
  const absl::Status status = FromProto(request, absl::Now()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("due_to", 0), 0u) << status;
}

}  // namespace
}  // namespace recommender::serving
