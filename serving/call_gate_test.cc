#include "serving/call_gate.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(CallGateTest, StreamsBeyondTheCapAreRefusedAndSlotsComeBack) {
  CallGate gate({/*max_streams=*/2, absl::Seconds(30)});
  absl::StatusOr<CallGate::StreamSlot> first = gate.AcquireStream();
  absl::StatusOr<CallGate::StreamSlot> second = gate.AcquireStream();
  ASSERT_TRUE(first.ok() && second.ok());
  absl::StatusOr<CallGate::StreamSlot> third = gate.AcquireStream();
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.status().message().find("--max_streams"), std::string::npos);
  EXPECT_EQ(gate.stats().streams_running, 2);
  EXPECT_EQ(gate.stats().streams_refused, 1);
  { CallGate::StreamSlot released = *std::move(first); }
  EXPECT_EQ(gate.stats().streams_running, 1);
  EXPECT_TRUE(gate.AcquireStream().ok());
}

TEST(CallGateTest, DrainingRefusesNewCallsAndWaitsForTheOnesInFlight) {
  CallGate gate({4, absl::Seconds(30)});
  EXPECT_TRUE(gate.Admit().ok());
  gate.CallStarted();
  gate.StartDraining();
  EXPECT_EQ(gate.Admit().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(gate.AcquireStream().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(gate.WaitUntilIdle(absl::Milliseconds(20)));
  std::thread finisher([&gate] {
    absl::SleepFor(absl::Milliseconds(50));
    gate.CallFinished();
  });
  EXPECT_TRUE(gate.WaitUntilIdle(absl::Seconds(30)));
  finisher.join();
  EXPECT_FALSE(gate.streams_stopping());
  gate.StopStreams();
  EXPECT_TRUE(gate.streams_stopping());
}

TEST(CallGateTest, AWriteThatReturnsInTimeIsNotTimedOut) {
  CallGate gate({4, absl::Seconds(30)});
  bool timed_out = true;
  EXPECT_TRUE(gate.WriteWithDeadline(
      nullptr, [] { return true; }, &timed_out));
  EXPECT_FALSE(timed_out);
  EXPECT_EQ(gate.stats().stream_write_timeouts, 0);
}

}  // namespace
}  // namespace recommender::serving
