#include "serving/http/bounded_task_queue.h"

#include <algorithm>
#include <utility>

namespace recommender::serving {

BoundedTaskQueue::BoundedTaskQueue(size_t threads, size_t max_queued)
    : max_queued_(std::max<size_t>(1, max_queued)) {
  threads = std::max<size_t>(1, threads);
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i)
    workers_.emplace_back([this] { Work(); });
}

BoundedTaskQueue::~BoundedTaskQueue() { shutdown(); }

void BoundedTaskQueue::enqueue(std::function<void()> job) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](BoundedTaskQueue* queue) ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue->mu_) {
        return queue->jobs_.size() < queue->max_queued_ ||
               queue->shutting_down_;
      },
      this));
  jobs_.push_back(std::move(job));
}

void BoundedTaskQueue::shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
  }
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void BoundedTaskQueue::Work() {
  while (true) {
    std::function<void()> job;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](BoundedTaskQueue* queue)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue->mu_) {
                 return !queue->jobs_.empty() || queue->shutting_down_;
               },
          this));
      if (jobs_.empty()) return;  // Shutting down with nothing left.
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace recommender::serving
