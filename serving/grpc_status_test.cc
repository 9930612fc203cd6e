#include "serving/grpc_status.h"

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(GrpcStatusTest, MapsCodesAndKeepsMessages) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  const struct {
    absl::Status in;
    grpc::StatusCode out;
  } cases[] = {
      {absl::InvalidArgumentError("count: too big"),
       grpc::StatusCode::INVALID_ARGUMENT},
      {absl::NotFoundError("item_id: unknown"), grpc::StatusCode::NOT_FOUND},
      {absl::UnavailableError("no model"), grpc::StatusCode::UNAVAILABLE},
      {absl::DeadlineExceededError("late"),
       grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::ResourceExhaustedError("busy"),
       grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::InternalError("bug"), grpc::StatusCode::INTERNAL},
  };
  for (const auto& c : cases) {
    const grpc::Status converted = ToGrpcStatus(c.in);
    EXPECT_EQ(converted.error_code(), c.out);
    EXPECT_EQ(converted.error_message(), c.in.message());
  }
}

}  // namespace
}  // namespace recommender::serving
