#include "serving/serving_probe.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(ServingProbeTest, TripsAfterFailuresInARowAndRecoversAtOnce) {
  bool answers = true;
  std::vector<bool> changes;
  ServingProbe probe([&answers] { return answers; },
                     [&changes](bool can_serve) { changes.push_back(can_serve); },
                     {absl::Seconds(1), /*failures_to_trip=*/3});
  probe.CheckOnce();
  EXPECT_TRUE(probe.can_serve());
  answers = false;
  probe.CheckOnce();
  probe.CheckOnce();
  EXPECT_TRUE(probe.can_serve());  // Two misses are not yet a verdict.
  probe.CheckOnce();
  EXPECT_FALSE(probe.can_serve());
  probe.CheckOnce();
  answers = true;
  probe.CheckOnce();
  EXPECT_TRUE(probe.can_serve());
  EXPECT_EQ(changes, (std::vector<bool>{false, true}));
}

TEST(ServingProbeTest, AMissBetweenAnswersDoesNotTrip) {
  int calls = 0;
  int changes = 0;
  ServingProbe probe([&calls] { return ++calls % 3 != 0; },
                     [&changes](bool) { ++changes; },
                     {absl::Seconds(1), 2});
  for (int i = 0; i < 30; ++i) probe.CheckOnce();
  EXPECT_TRUE(probe.can_serve());
  EXPECT_EQ(changes, 0);
}

TEST(ServingProbeTest, ProbesOnItsOwnThreadUntilStopped) {
  std::atomic<int> calls{0};
  std::atomic<bool> tripped{false};
  ServingProbe probe([&calls] { ++calls; return false; },
                     [&tripped](bool can_serve) { tripped = !can_serve; },
                     {absl::Milliseconds(5), 2});
  probe.Start();
  for (int i = 0; i < 1000 && !tripped; ++i) absl::SleepFor(absl::Milliseconds(5));
  probe.Stop();
  EXPECT_TRUE(tripped);
  const int after_stop = calls;
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(calls, after_stop);
}

}  // namespace
}  // namespace recommender::serving
