#include "serving/as_of.h"

#include "gtest/gtest.h"
#include "recommender/model/test_snapshot_builder.h"

namespace recommender::serving {
namespace {

TEST(AsOfTest, RequestTimeOrClock) {
  auto with_end = ModelSnapshot::FromContents(
      TestSnapshotBuilder(1).AddItem("a", "x", {1}).SetDataEnd(1000).Build());
  auto without_end = ModelSnapshot::FromContents(
      TestSnapshotBuilder(1).AddItem("a", "x", {1}).Build());
  ASSERT_TRUE(with_end.ok() && without_end.ok());
  const absl::Time wall = absl::FromUnixSeconds(5000);
  const RequestClock wall_clock(ClockMode::kWall, [wall] { return wall; });
  const RequestClock data_end_clock(ClockMode::kDataEnd, [wall] { return wall; });
  EXPECT_EQ(wall_clock.Now(**with_end), wall);
  EXPECT_EQ(data_end_clock.Now(**with_end), absl::FromUnixSeconds(1000));
  EXPECT_EQ(data_end_clock.Now(**without_end), wall);
  EXPECT_EQ(*ResolveAsOf("as_of", "", wall), wall);
  EXPECT_EQ(*ResolveAsOf("as_of", "2026-01-01T09:00:00+09:00", wall),
            absl::FromUnixSeconds(1767225600));
  absl::StatusOr<absl::Time> bad = ResolveAsOf("x.as_of", "soon", wall);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 7), "x.as_of");
}

// as_of used to accept 1900 and 9999, and times without an offset.
TEST(AsOfTest, AsOfNeedsAnOffsetAndASaneYear) {
  const absl::Time wall = absl::FromUnixSeconds(5000);
  for (const char* bad : {"1900-01-01T00:00:00Z", "9999-12-31T00:00:00Z",
                          "2026-03-01T00:00:00"}) {
    absl::StatusOr<absl::Time> resolved = ResolveAsOf("as_of", bad, wall);
    EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_FALSE(ParseDayField("due_to", "9999-01-01").ok());
}

TEST(AsOfTest, ClockModesAndDays) {
  EXPECT_EQ(*ParseClockMode("wall"), ClockMode::kWall);
  EXPECT_EQ(*ParseClockMode("data_end"), ClockMode::kDataEnd);
  EXPECT_FALSE(ParseClockMode("sundial").ok());
  EXPECT_EQ(*ParseDayField("due_from", "2026-02-28"), absl::CivilDay(2026, 2, 28));
  EXPECT_NE(ParseDayField("due_from", "").status().message().find("due_from"),
            absl::string_view::npos);
  EXPECT_NE(ParseDayField("due_to", "2026-02-30").status().message().find("due_to"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace recommender::serving
