#include "serving/allocator_settings.h"

#include <malloc.h>

#include "absl/strings/str_cat.h"

namespace recommender::serving {

absl::Status BoundAllocatorRetention(int arenas) {
  if (arenas < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("malloc_arenas: must be >= 1, got ", arenas));
  }
  if (mallopt(M_ARENA_MAX, arenas) != 1) {
    return absl::FailedPreconditionError(
        "malloc refused M_ARENA_MAX (not glibc's malloc?)");
  }
  // Setting the threshold also turns off its dynamic adjustment.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThresholdBytes)) != 1) {
    return absl::FailedPreconditionError(
        "malloc refused M_MMAP_THRESHOLD (not glibc's malloc?)");
  }
  return absl::OkStatus();
}

}  // namespace recommender::serving
