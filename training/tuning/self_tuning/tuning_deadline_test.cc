#include "training/tuning/self_tuning/tuning_deadline.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

// A clock that moves only when told to.
class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  TuningDeadline::Clock AsClock() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST(TuningDeadlineTest, SharesAndRemainingFollowTheClock) {
  FakeClock clock;
  const TuningDeadline deadline(absl::Seconds(100), clock.AsClock());
  EXPECT_TRUE(deadline.bounded());
  EXPECT_EQ(deadline.Remaining(), absl::Seconds(100));
  EXPECT_EQ(deadline.At(0.6), clock.Now() + absl::Seconds(60));
  EXPECT_TRUE(deadline.Fits(absl::Seconds(60), 0.6));
  EXPECT_FALSE(deadline.Fits(absl::Seconds(61), 0.6));
  clock.Advance(absl::Seconds(59));
  EXPECT_FALSE(deadline.Passed(0.6));
  EXPECT_FALSE(deadline.Fits(absl::Seconds(2), 0.6));
  EXPECT_TRUE(deadline.Fits(absl::Seconds(2)));
  EXPECT_EQ(deadline.Elapsed(), absl::Seconds(59));
  EXPECT_EQ(deadline.Remaining(), absl::Seconds(41));
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(deadline.Passed(0.6));
  clock.Advance(absl::Seconds(500));
  EXPECT_TRUE(deadline.Passed());
  EXPECT_EQ(deadline.Remaining(), absl::ZeroDuration());
  EXPECT_FALSE(deadline.Fits(absl::ZeroDuration()));
}

TEST(TuningDeadlineTest, UnboundedNeverPasses) {
  FakeClock clock;
  const TuningDeadline deadline(absl::InfiniteDuration(), clock.AsClock());
  clock.Advance(absl::Hours(1000));
  EXPECT_FALSE(deadline.bounded());
  EXPECT_FALSE(deadline.Passed());
  EXPECT_TRUE(deadline.Fits(absl::Hours(1000), 0.1));
  EXPECT_EQ(deadline.Remaining(), absl::InfiniteDuration());
}

TEST(TuningDeadlineTest, RoundsAreCutToWhatIsLeftButNeverBelowOne) {
  EXPECT_EQ(RoundsThatFit(300, absl::Milliseconds(100), absl::Seconds(10)), 100);
  EXPECT_EQ(RoundsThatFit(80, absl::Milliseconds(100), absl::Seconds(10)), 80);
  EXPECT_EQ(RoundsThatFit(80, absl::Milliseconds(100), absl::ZeroDuration()), 1);
  EXPECT_EQ(RoundsThatFit(80, absl::Milliseconds(100), -absl::Seconds(3)), 1);
  EXPECT_EQ(RoundsThatFit(80, absl::ZeroDuration(), absl::Seconds(1)), 80);
  EXPECT_EQ(RoundsThatFit(80, absl::Seconds(1), absl::InfiniteDuration()), 80);
}

TEST(TuningDeadlineTest, CustomersAreCutToWhatIsLeftAboveAFloor) {
  EXPECT_EQ(ItemsThatFit(1000, absl::Milliseconds(10), absl::Seconds(4), 50), 400);
  EXPECT_EQ(ItemsThatFit(1000, absl::Milliseconds(10), absl::Seconds(40), 50), 1000);
  EXPECT_EQ(ItemsThatFit(1000, absl::Milliseconds(10), absl::ZeroDuration(), 50), 50);
  EXPECT_EQ(ItemsThatFit(30, absl::Milliseconds(10), absl::ZeroDuration(), 50), 30);
  EXPECT_EQ(ItemsThatFit(1000, absl::ZeroDuration(), absl::Seconds(1), 50), 1000);
}

}  // namespace
}  // namespace recommender
