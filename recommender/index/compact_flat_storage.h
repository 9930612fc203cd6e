// CompactFlatStorage: an HNSW vector storage for inner-product search that
// holds each vector in 16-bit floats (half the bytes of the float storage)
// or 8-bit integers (a quarter; one offset and step per dimension, set by
// the first add). The graph walk of an HNSW search reads one random vector
// per visited node, so smaller vectors mean fewer cache lines per step; the
// scores are approximate, and callers that need exact ones re-rank the
// returned candidates against the float vectors.
//
// Distances run on AVX2/FMA/F16C. Immutable once filled; thread-safe for
// concurrent searches.
#ifndef RECOMMENDER_INDEX_COMPACT_FLAT_STORAGE_H_
#define RECOMMENDER_INDEX_COMPACT_FLAT_STORAGE_H_

#include <faiss/IndexFlatCodes.h>

#include <cstdint>
#include <string>
#include <vector>

namespace recommender {

enum class CompactCode { kFloat16, kInt8 };

// "float16" or "int8".
std::string CompactCodeName(CompactCode code);

struct CompactFlatStorage : faiss::IndexFlatCodes {
  CompactFlatStorage(faiss::Index::idx_t d, CompactCode code);

  // kInt8: the first call fixes each dimension's range from the vectors it
  // is given (values outside a later call's range are clamped).
  void add(faiss::Index::idx_t n, const float* x) override;
  void sa_encode(faiss::Index::idx_t n, const float* x,
                 uint8_t* bytes) const override;
  void sa_decode(faiss::Index::idx_t n, const uint8_t* bytes,
                 float* x) const override;
  // Exhaustive search over the decoded vectors (inner product).
  void search(faiss::Index::idx_t n, const float* x, faiss::Index::idx_t k,
              float* distances, faiss::Index::idx_t* labels,
              const faiss::SearchParameters* params = nullptr) const override;
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer()
      const override;

  CompactCode code;
  // kInt8: value = offset[j] + step[j] * (code - (-128)).
  std::vector<float> offset;
  std::vector<float> step;
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_COMPACT_FLAT_STORAGE_H_
