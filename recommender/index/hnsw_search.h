// One query's search of a FAISS HNSW graph, as faiss::IndexHNSW::search
// answers it, but with a visited table the caller keeps: FAISS's own search
// allocates and zeroes a table of a byte per item on every call (1 MB at a
// million items), which costs as much as the graph walk. A table is left
// clean after each search, so the caller can reuse it for any graph of the
// same size.
//
// Thread-safe for concurrent searches of one graph, each with its own table.
#ifndef RECOMMENDER_INDEX_HNSW_SEARCH_H_
#define RECOMMENDER_INDEX_HNSW_SEARCH_H_

#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>

#include <cstdint>

namespace recommender {

// Writes the k best items for `query` to `labels` and their scores to
// `distances` (k each), best first: inner products for an inner-product
// graph, squared distances for an L2 one; -1 labels when fewer were found.
// Runs on the calling thread only (no OpenMP). `visited` has index.ntotal
// entries. Throws what FAISS throws.
void SearchHnswGraph(const faiss::IndexHNSW& index, const float* query,
                     int64_t k, faiss::VisitedTable& visited, float* distances,
                     faiss::Index::idx_t* labels);

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_HNSW_SEARCH_H_
