#include "serving/http/http_status.h"

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace recommender::serving {
namespace {

TEST(HttpStatusTest, CodesMapAsGoogleApisDo) {
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kUnimplemented), 501);
}

TEST(HttpStatusTest, FieldIsTheMessagesLeadingPath) {
  EXPECT_EQ(FieldOf("count: must be 1 to 100, got 0"), "count");
  EXPECT_EQ(FieldOf("events[3].item_id: unknown item \"P9\""),
            "events[3].item_id");
  EXPECT_EQ(FieldOf("no model loaded yet"), "");
  EXPECT_EQ(FieldOf("not recorded: disk full"), "");
  EXPECT_EQ(FieldOf(": x"), "");
  EXPECT_EQ(FieldOf("3 things: x"), "");
}

TEST(HttpStatusTest, ErrorBodyIsJsonNamingCodeMessageAndField) {
  nlohmann::json body = nlohmann::json::parse(
      ErrorJson(absl::InvalidArgumentError("count: must be 1 to 100, got 0")));
  EXPECT_EQ(body["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(body["error"]["message"], "count: must be 1 to 100, got 0");
  EXPECT_EQ(body["error"]["field"], "count");
  body = nlohmann::json::parse(
      ErrorJson(absl::UnavailableError("no model loaded yet")));
  EXPECT_EQ(body["error"]["code"], "UNAVAILABLE");
  EXPECT_FALSE(body["error"].contains("field"));
  // Bytes that are not UTF-8 still give valid JSON.
  body = nlohmann::json::parse(
      ErrorJson(absl::NotFoundError("customer_id: unknown \xff")));
  EXPECT_EQ(body["error"]["field"], "customer_id");
}

}  // namespace
}  // namespace recommender::serving
