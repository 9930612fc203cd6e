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
  const absl::Time now = absl::FromUnixSeconds(5000);
  EXPECT_EQ(*ResolveAsOf("as_of", "", **with_end, ClockMode::kWall, now), now);
  EXPECT_EQ(*ResolveAsOf("as_of", "", **with_end, ClockMode::kDataEnd, now),
            absl::FromUnixSeconds(1000));
  EXPECT_EQ(*ResolveAsOf("as_of", "", **without_end, ClockMode::kDataEnd, now),
            now);
  EXPECT_EQ(*ResolveAsOf("as_of", "1970-01-01T09:00:00+09:00", **with_end,
                         ClockMode::kDataEnd, now),
            absl::FromUnixSeconds(0));
  absl::StatusOr<absl::Time> bad =
      ResolveAsOf("x.as_of", "soon", **with_end, ClockMode::kWall, now);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 7), "x.as_of");
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
