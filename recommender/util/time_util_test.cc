#include "recommender/util/time_util.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(TimeUtilTest, ParsesOffsetsZuluAndPlainUtc) {
  const absl::Time utc = absl::FromUnixSeconds(1772325000);  // 2026-03-01T00:30Z
  EXPECT_EQ(*ParseIsoTimestamp("2026-03-01T00:30:00Z"), utc);
  EXPECT_EQ(*ParseIsoTimestamp("2026-03-01T09:30:00+09:00"), utc);
  EXPECT_EQ(*ParseIsoTimestamp("2026-03-01T00:30:00"), utc);
  EXPECT_EQ(*ParseIsoTimestamp("2026-03-01 00:30:00"), utc);
  EXPECT_EQ(*ParseIsoTimestamp("2026-03-01T00:30:00.250Z"),
            utc + absl::Milliseconds(250));
}

TEST(TimeUtilTest, RejectsMalformedTimestampsWithTheText) {
  for (const char* bad : {"", "yesterday", "2026-13-01T00:00:00Z",
                          "2026-03-01", "1772325000", "2026-03-01T25:00:00Z"}) {
    auto parsed = ParseIsoTimestamp(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos);
  }
}

TEST(TimeUtilTest, ParsesDates) {
  EXPECT_EQ(*ParseIsoDate("2025-12-31"), absl::CivilDay(2025, 12, 31));
  EXPECT_FALSE(ParseIsoDate("2025-02-30").ok());
  EXPECT_FALSE(ParseIsoDate("20251231").ok());
  EXPECT_FALSE(ParseIsoDate("2025-12-31T00:00:00Z").ok());
}

TEST(TimeUtilTest, FormatsUtcRoundTrip) {
  const absl::Time t = absl::FromUnixSeconds(1772325000);
  EXPECT_EQ(FormatRfc3339Utc(t), "2026-03-01T00:30:00Z");
  EXPECT_EQ(*ParseIsoTimestamp(FormatRfc3339Utc(t)), t);
}

}  // namespace
}  // namespace recommender
