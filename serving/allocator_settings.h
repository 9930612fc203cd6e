// Allocator settings for a long-running server: glibc's malloc keeps freed
// memory in up to 8 arenas per core and raises its mmap threshold each
// time a large block is freed, so a server that loads a new model every
// day and serves bursts of campaign streams climbs in resident size, step
// by step, although nothing leaks. BoundAllocatorRetention caps the arenas
// and fixes the threshold, so large blocks (models, customer lists) go
// back to the system when freed. docs/live-serving.md has the soak test's
// figures with and without it.
#ifndef SERVING_ALLOCATOR_SETTINGS_H_
#define SERVING_ALLOCATOR_SETTINGS_H_

#include <cstddef>

#include "absl/status/status.h"

namespace recommender::serving {

// Blocks of this size and larger are mapped on their own and unmapped when
// freed.
inline constexpr size_t kMmapThresholdBytes = 256 << 10;

// Caps malloc's arenas at `arenas` (>= 1) and fixes its mmap threshold at
// kMmapThresholdBytes. Call once at start, before threads are created.
// InvalidArgument for arenas < 1; FailedPrecondition if malloc refuses a
// setting (another allocator: a sanitizer's, or one preloaded), which the
// caller may report and run on with.
absl::Status BoundAllocatorRetention(int arenas);

}  // namespace recommender::serving

#endif  // SERVING_ALLOCATOR_SETTINGS_H_
