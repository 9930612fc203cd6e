#include "recommender/util/status_macros.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

absl::Status Check(int value, int* steps) {
  ++*steps;
  if (value < 0) return absl::InvalidArgumentError("negative");
  return absl::OkStatus();
}

absl::Status TwoChecks(int first, int second, int* steps) {
  RETURN_IF_ERROR(Check(first, steps));
  RETURN_IF_ERROR(Check(second, steps));
  return absl::OkStatus();
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstError) {
  int steps = 0;
  EXPECT_TRUE(TwoChecks(1, 2, &steps).ok());
  EXPECT_EQ(steps, 2);
  steps = 0;
  const absl::Status status = TwoChecks(-1, 2, &steps);
  EXPECT_EQ(status, absl::InvalidArgumentError("negative"));
  EXPECT_EQ(steps, 1);
}

absl::StatusOr<std::unique_ptr<int>> Make(int value) {
  if (value < 0) return absl::NotFoundError("no such value");
  return std::make_unique<int>(value);
}

// Two ASSIGN_OR_RETURNs in one function, one of them of a move-only type.
absl::StatusOr<int> Sum(int a, int b) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> x, Make(a));
  ASSIGN_OR_RETURN(const std::unique_ptr<int> y, Make(b));
  return *x + *y;
}

TEST(StatusMacrosTest, AssignOrReturnAssignsOrPassesTheErrorOn) {
  const absl::StatusOr<int> sum = Sum(2, 3);
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(*sum, 5);
  EXPECT_EQ(Sum(2, -1).status(), absl::NotFoundError("no such value"));
  EXPECT_EQ(Sum(-1, 2).status().code(), absl::StatusCode::kNotFound);
}

absl::Status AssignToExisting(std::string* out) {
  ASSIGN_OR_RETURN(*out, absl::StatusOr<std::string>("filled"));
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnIntoAnExistingVariable) {
  std::string out;
  ASSERT_TRUE(AssignToExisting(&out).ok());
  EXPECT_EQ(out, "filled");
}

}  // namespace
}  // namespace recommender
