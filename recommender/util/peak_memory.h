// The process's peak resident memory, for the trainer's and the evaluation
// tool's end-of-run summary.
//
// Thread-safe.
#ifndef RECOMMENDER_UTIL_PEAK_MEMORY_H_
#define RECOMMENDER_UTIL_PEAK_MEMORY_H_

#include <cstdint>
#include <string>

namespace recommender {

// Peak resident set size of this process so far in bytes (getrusage
// ru_maxrss); 0 if the OS does not say.
int64_t PeakMemoryBytes();

// "512.0 MiB", "1.25 GiB".
std::string FormatBytes(int64_t bytes);

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_PEAK_MEMORY_H_
