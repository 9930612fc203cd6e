#include "recommender/data/row_error_sink.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace recommender {
namespace {

absl::Status RowError(int line) {
  return absl::InvalidArgumentError("items.csv:" + std::to_string(line) +
                                    ": column price: not a number");
}

TEST(RowErrorSinkTest, FailReturnsTheErrorAndCountsNothing) {
  FileLoadReport report;
  RowErrorSink sink(BadRowPolicy::kFail, &report);
  EXPECT_EQ(sink.Reject(RowError(3)), RowError(3));
  EXPECT_EQ(report.rows_skipped, 0);
  EXPECT_TRUE(report.sample_errors.empty());
}

TEST(RowErrorSinkTest, SkipCountsEveryRowAndSamplesTheFirstMessages) {
  FileLoadReport report;
  RowErrorSink sink(BadRowPolicy::kSkip, &report, /*max_sample_errors=*/2);
  for (int line = 2; line <= 5; ++line) {
    EXPECT_TRUE(sink.Reject(RowError(line)).ok());
  }
  EXPECT_EQ(report.rows_skipped, 4);
  EXPECT_EQ(report.sample_errors,
            (std::vector<std::string>{"items.csv:2: column price: not a number",
                                      "items.csv:3: column price: not a number"}));
}

TEST(RowErrorSinkTest, TenSamplesByDefault) {
  FileLoadReport report;
  RowErrorSink sink(BadRowPolicy::kSkip, &report);
  for (int line = 0; line < 25; ++line) ASSERT_TRUE(sink.Reject(RowError(line)).ok());
  EXPECT_EQ(report.rows_skipped, 25);
  EXPECT_EQ(report.sample_errors.size(), 10u);
}

}  // namespace
}  // namespace recommender
