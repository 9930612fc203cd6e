// CRC-32C (Castagnoli), the checksum of snapshot files and event-log records.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_UTIL_CRC32C_H_
#define RECOMMENDER_UTIL_CRC32C_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace recommender {

// Returns the CRC-32C of `data` continued from `crc`, the CRC of the bytes
// before it (0 for none): Crc32c(Crc32c(a), b) == Crc32c(a + b).
uint32_t ExtendCrc32c(uint32_t crc, const void* data, size_t size);

inline uint32_t Crc32c(absl::string_view data) {
  return ExtendCrc32c(0, data.data(), data.size());
}

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_CRC32C_H_
