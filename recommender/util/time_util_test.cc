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

TEST(TimeUtilTest, ApiTimestampsNeedTheirOffsetAndASaneYear) {
  const absl::Time utc = absl::FromUnixSeconds(1772325000);
  EXPECT_EQ(*ParseApiTimestamp("2026-03-01T09:30:00+09:00"), utc);
  EXPECT_EQ(*ParseApiTimestamp("2026-03-01 00:30:00Z"), utc);
  const absl::Status no_offset =
      ParseApiTimestamp("2026-03-01T00:30:00").status();
  EXPECT_EQ(no_offset.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_offset.message().find("offset"), std::string::npos) << no_offset;
  for (const char* bad : {"1900-01-01T00:00:00Z", "9999-12-31T00:00:00Z",
                          "2100-01-01T00:00:00Z", "1999-12-31T23:59:59Z"}) {
    const absl::Status status = ParseApiTimestamp(bad).status();
    EXPECT_NE(status.message().find("2000-01-01 to 2099-12-31"),
              std::string::npos)
        << bad << " " << status;
  }
  EXPECT_TRUE(ParseApiTimestamp("2000-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseApiTimestamp("2099-12-31T23:59:59Z").ok());
  EXPECT_EQ(*ParseApiDate("2099-12-31"), absl::CivilDay(2099, 12, 31));
  EXPECT_FALSE(ParseApiDate("1900-01-01").ok());
}

TEST(TimeUtilTest, MessagesQuoteTheTextBoundedAndEscaped) {
  const std::string huge(10000, '9');
  const absl::Status status = ParseApiTimestamp(huge).status();
  EXPECT_LT(status.message().size(), 300u) << status.message().size();
  EXPECT_NE(status.message().find("(10000 bytes)"), std::string::npos);
  const absl::Status escaped =
      ParseApiTimestamp("\x1b[31mred").status();
  EXPECT_EQ(escaped.message().find('\x1b'), std::string::npos);
}

TEST(TimeUtilTest, FormatsUtcRoundTrip) {
  const absl::Time t = absl::FromUnixSeconds(1772325000);
  EXPECT_EQ(FormatRfc3339Utc(t), "2026-03-01T00:30:00Z");
  EXPECT_EQ(*ParseIsoTimestamp(FormatRfc3339Utc(t)), t);
}

}  // namespace
}  // namespace recommender
