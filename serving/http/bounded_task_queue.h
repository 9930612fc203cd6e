// BoundedTaskQueue: a cpp-httplib task queue with a fixed number of worker
// threads and a bounded queue of accepted connections waiting for one.
// When the queue is full, Enqueue blocks the accept loop, so further
// connections wait in the kernel's listen backlog (then are refused by it)
// instead of piling up in memory. cpp-httplib's own ThreadPool queues
// without bound.
//
// Thread-safe: Enqueue is called by the accept loop, the jobs run on the
// workers; Shutdown lets queued jobs finish and joins the workers.
#ifndef SERVING_HTTP_BOUNDED_TASK_QUEUE_H_
#define SERVING_HTTP_BOUNDED_TASK_QUEUE_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "httplib.h"

namespace recommender::serving {

class BoundedTaskQueue : public httplib::TaskQueue {
 public:
  // `threads` and `max_queued` are at least 1.
  BoundedTaskQueue(size_t threads, size_t max_queued);
  ~BoundedTaskQueue() override;

  void enqueue(std::function<void()> job) override;
  void shutdown() override;

 private:
  void Work();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> jobs_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace recommender::serving

#endif  // SERVING_HTTP_BOUNDED_TASK_QUEUE_H_
