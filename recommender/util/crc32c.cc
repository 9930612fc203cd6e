#include "recommender/util/crc32c.h"

#include <array>
#include <cstring>

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#endif

namespace recommender {
namespace {

constexpr uint32_t kCastagnoliReversed = 0x82F63B78u;

#if !defined(__SSE4_2__)
std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ ((crc & 1u) ? kCastagnoliReversed : 0u);
    }
    table[i] = crc;
  }
  return table;
}
#endif

}  // namespace

uint32_t ExtendCrc32c(uint32_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t state = ~crc;
#if defined(__SSE4_2__)
  (void)kCastagnoliReversed;
  uint64_t state64 = state;
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    state64 = _mm_crc32_u64(state64, word);
    p += 8;
    size -= 8;
  }
  state = static_cast<uint32_t>(state64);
  while (size > 0) {
    state = _mm_crc32_u8(state, *p++);
    --size;
  }
#else
  static const std::array<uint32_t, 256> kTable = MakeTable();
  while (size > 0) {
    state = kTable[(state ^ *p++) & 0xFFu] ^ (state >> 8);
    --size;
  }
#endif
  return ~state;
}

}  // namespace recommender
