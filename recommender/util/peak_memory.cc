#include "recommender/util/peak_memory.h"

#include <sys/resource.h>

#include "absl/strings/str_format.h"

namespace recommender {

int64_t PeakMemoryBytes() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux: KiB.
}

std::string FormatBytes(int64_t bytes) {
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  if (mib < 1024) return absl::StrFormat("%.1f MiB", mib);
  return absl::StrFormat("%.2f GiB", mib / 1024.0);
}

}  // namespace recommender
