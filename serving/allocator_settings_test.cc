#include "serving/allocator_settings.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"

namespace recommender::serving {
namespace {

// Bytes malloc holds in blocks mapped on their own.
size_t MappedBytes() { return mallinfo2().hblkhd; }

// Allocates and frees a block of `bytes` (touched, so that it is real).
void AllocateAndFree(size_t bytes) {
  void* block = std::malloc(bytes);
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, bytes);
  std::free(block);
}

TEST(AllocatorSettingsTest, LargeBlocksStayMappedAfterOneIsFreed) {
  ASSERT_TRUE(BoundAllocatorRetention(2).ok());
  // glibc's default would raise its threshold past this size once such a
  // block is freed, and serve the next one from the heap, where freed
  // memory stays resident.
  const size_t bytes = 3 * kMmapThresholdBytes;
  AllocateAndFree(bytes);
  const size_t before = MappedBytes();
  void* block = std::malloc(bytes);
  ASSERT_NE(block, nullptr);
  EXPECT_GE(MappedBytes(), before + bytes);
  std::free(block);
  EXPECT_EQ(MappedBytes(), before);
}

TEST(AllocatorSettingsTest, ArenasMustBePositive) {
  const absl::Status refused = BoundAllocatorRetention(0);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("malloc_arenas"), std::string::npos);
}

}  // namespace
}  // namespace recommender::serving
