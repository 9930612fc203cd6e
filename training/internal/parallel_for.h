// ParallelFor: runs fn(begin, end) over [0, n) in blocks on `threads`
// threads and returns when all are done. Blocks are handed out dynamically,
// so callers must make each index's work independent of the others; results
// are then the same whatever the thread count.
#ifndef TRAINING_INTERNAL_PARALLEL_FOR_H_
#define TRAINING_INTERNAL_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace recommender {

template <typename Fn>
void ParallelFor(int64_t n, int threads, int64_t block, const Fn& fn) {
  if (n <= 0) return;
  block = std::max<int64_t>(1, block);
  std::atomic<int64_t> next{0};
  auto worker = [&]() {
    while (true) {
      const int64_t begin = next.fetch_add(block);
      if (begin >= n) return;
      fn(begin, std::min(n, begin + block));
    }
  };
  const int64_t useful = (n + block - 1) / block;
  const int count = static_cast<int>(
      std::max<int64_t>(1, std::min<int64_t>(threads, useful)));
  std::vector<std::thread> pool;
  pool.reserve(count - 1);
  for (int t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
}

}  // namespace recommender

#endif  // TRAINING_INTERNAL_PARALLEL_FOR_H_
