// SplitMix64 (Steele, Lea & Flood 2014): a small, fast generator whose
// output is the same on every platform and standard library, for seeded
// bootstraps and simulations that must reproduce exactly; and its
// finalizer as a 64-bit mixing function for stable hashing.
//
// Not thread-safe: one generator per thread.
#ifndef RECOMMENDER_CAMPAIGNS_SPLITMIX_H_
#define RECOMMENDER_CAMPAIGNS_SPLITMIX_H_

#include <cstdint>

namespace recommender::campaigns {

// The SplitMix64 output function: a bijection of 64-bit values whose
// output bits each depend on every input bit.
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() { return Mix64(state_ += 0x9e3779b97f4a7c15ull); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n), n >= 1 (Lemire's multiply-shift; the bias is below
  // n / 2^64).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

 private:
  uint64_t state_;
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_SPLITMIX_H_
