#include "serving/http/bounded_task_queue.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

TEST(BoundedTaskQueueTest, RunsEveryJobAndBlocksWhenFull) {
  BoundedTaskQueue queue(1, 1);
  absl::Notification started, release;
  std::atomic<int> done{0};
  // The worker takes the first job and waits; the second fills the queue.
  queue.enqueue([&] {
    started.Notify();
    release.WaitForNotification();
    ++done;
  });
  started.WaitForNotification();
  queue.enqueue([&] { ++done; });
  std::atomic<bool> third_enqueued{false};
  std::thread producer([&] {
    queue.enqueue([&] { ++done; });
    third_enqueued = true;
  });
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_FALSE(third_enqueued.load());  // Blocked: one running, one queued.
  release.Notify();
  producer.join();
  EXPECT_TRUE(third_enqueued.load());
  queue.shutdown();
  EXPECT_EQ(done.load(), 3);
}

TEST(BoundedTaskQueueTest, ShutdownRunsWhatIsQueued) {
  std::atomic<int> done{0};
  {
    BoundedTaskQueue queue(2, 10);
    for (int i = 0; i < 10; ++i) queue.enqueue([&] { ++done; });
  }
  EXPECT_EQ(done.load(), 10);
}

}  // namespace
}  // namespace recommender::serving
