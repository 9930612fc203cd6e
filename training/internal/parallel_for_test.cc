#include "training/internal/parallel_for.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

using Block = std::pair<int64_t, int64_t>;

TEST(ParallelForTest, EveryIndexExactlyOnce) {
  constexpr int64_t kN = 1000;
  std::vector<std::atomic<int>> visits(kN);
  ParallelFor(kN, 4, 7, [&](int64_t begin, int64_t end) {
    ASSERT_LT(begin, end);
    ASSERT_LE(end - begin, 7);
    for (int64_t i = begin; i < end; ++i) ++visits[i];
  });
  for (int64_t i = 0; i < kN; ++i) EXPECT_EQ(visits[i].load(), 1) << i;
}

TEST(ParallelForTest, OneThreadWalksTheBlocksInOrder) {
  std::vector<Block> blocks;
  ParallelFor(7, 1, 3, [&](int64_t begin, int64_t end) {
    blocks.emplace_back(begin, end);
  });
  EXPECT_EQ(blocks, (std::vector<Block>{{0, 3}, {3, 6}, {6, 7}}));
}

TEST(ParallelForTest, NothingToDoCallsNothing) {
  int calls = 0;
  ParallelFor(0, 4, 8, [&](int64_t, int64_t) { ++calls; });
  ParallelFor(-3, 4, 8, [&](int64_t, int64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelForTest, ABlockBelowOneIsOne) {
  std::vector<Block> blocks;
  ParallelFor(3, 1, 0, [&](int64_t begin, int64_t end) {
    blocks.emplace_back(begin, end);
  });
  EXPECT_EQ(blocks, (std::vector<Block>{{0, 1}, {1, 2}, {2, 3}}));
}

// No more threads than blocks: a single block runs once, on the caller.
TEST(ParallelForTest, OneBlockRunsOnTheCallingThread) {
  std::mutex mutex;
  std::vector<Block> blocks;
  std::vector<std::thread::id> threads;
  ParallelFor(5, 8, 16, [&](int64_t begin, int64_t end) {
    std::lock_guard<std::mutex> lock(mutex);
    blocks.emplace_back(begin, end);
    threads.push_back(std::this_thread::get_id());
  });
  EXPECT_EQ(blocks, (std::vector<Block>{{0, 5}}));
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads[0], std::this_thread::get_id());
}

}  // namespace
}  // namespace recommender
