// Avx2FlatStorage: the vector storage of our FAISS HNSW indexes, a
// faiss::IndexFlat whose distance computer uses AVX2/FMA. Debian's libfaiss
// is built for generic x86-64, where HNSW's distances run through the
// scalar fvec_inner_product_ref (perf: ~70% of HNSW time); this replaces
// only the distance kernel, the graph search is FAISS's.
//
// It serializes as a plain IndexFlat (FAISS's writer sees the base class);
// UseAvx2Storage swaps it in after reading. Immutable once built;
// thread-safe for concurrent searches.
#ifndef RECOMMENDER_INDEX_AVX2_FLAT_STORAGE_H_
#define RECOMMENDER_INDEX_AVX2_FLAT_STORAGE_H_

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>

namespace recommender {

struct Avx2FlatStorage : faiss::IndexFlat {
  Avx2FlatStorage(faiss::Index::idx_t d, faiss::MetricType metric)
      : faiss::IndexFlat(d, metric) {}

  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer()
      const override;
};

// Replaces the storage of `index` (an IndexFlat, as FAISS builds or reads
// it) by an Avx2FlatStorage holding the same vectors. Throws what FAISS
// throws (callers catch) if the storage is not an IndexFlat.
void UseAvx2Storage(faiss::IndexHNSW& index);

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_AVX2_FLAT_STORAGE_H_
