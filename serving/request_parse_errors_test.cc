#include "serving/request_parse_errors.h"

#include "gtest/gtest.h"
#include "proto/recommender.pb.h"

namespace recommender::serving {
namespace {

TEST(RequestParseErrorsTest, NamesTheFieldByItsPathInTheRequest) {
  // The generated code for the requests is linked in, so the pool knows them.
  EXPECT_NE(v1::RecordEventsRequest::descriptor(), nullptr);
  EXPECT_EQ(RequestParseErrorMessage("/recommender.v1.Recommender/Recommend",
                                     "recommender.v1.RecommendRequest.customer_id"),
            "customer_id: not valid UTF-8 (string fields must be UTF-8 text; "
            "ids too)");
  EXPECT_EQ(RequestParseErrorMessage("/recommender.v1.Recommender/Recommend",
                                     "recommender.v1.ItemFilter.exclude_item_ids")
                .substr(0, 24),
            "filter.exclude_item_ids:");
  EXPECT_EQ(RequestParseErrorMessage("/recommender.v1.Recommender/RecordEvents",
                                     "recommender.v1.Event.customer_id")
                .substr(0, 19),
            "events.customer_id:");
  EXPECT_EQ(
      RequestParseErrorMessage("/recommender.v1.Recommender/BatchRecommend",
                               "recommender.v1.CustomerList.customer_ids")
          .substr(0, 27),
      "customer_list.customer_ids:");
}

TEST(RequestParseErrorsTest, OtherwiseSaysTheBytesAreNotTheRequest) {
  EXPECT_EQ(RequestParseErrorMessage("/recommender.v1.Recommender/Recommend", ""),
            "request: the bytes received do not parse as a "
            "recommender.v1.RecommendRequest");
  // A field of another message (a stale complaint) is not blamed.
  EXPECT_EQ(RequestParseErrorMessage("/recommender.v1.Recommender/Recommend",
                                     "recommender.v1.Event.item_id")
                .substr(0, 8),
            "request:");
  EXPECT_EQ(RequestParseErrorMessage("/no.Such/Method", "x"),
            "request: the bytes received do not parse as the request "
            "message");
}

}  // namespace
}  // namespace recommender::serving
