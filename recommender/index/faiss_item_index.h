// FaissItemIndex: an ItemIndex backed by a FAISS index.
//
// FAISS reports errors by throwing; every call into FAISS is wrapped here and
// turned into an absl::Status that says what failed, so no exception leaves
// this adapter. Thread-safe for concurrent Search calls; each Search runs on
// the calling thread only (FAISS's OpenMP team is set to one thread), since
// concurrency in the server comes from its request threads.
#ifndef RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_
#define RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/index/item_index.h"
#include "recommender/embedding/embedding_matrix.h"

namespace faiss {
struct Index;
}  // namespace faiss

namespace recommender {

class VisitedTablePool;

// Parameters of the approximate indexes. HNSW: Malkov & Yashunin, "Efficient
// and robust approximate nearest neighbor search using Hierarchical
// Navigable Small World graphs" (2016). IVF: Jegou et al., "Product
// quantization for nearest neighbor search" (2011), without the PQ.
struct HnswOptions {
  int m = 16;                // Graph neighbours per node (2m on level 0).
  int ef_construction = 80;  // Beam width while building.
  int ef_search = 96;        // Beam width while searching (>= k).
  // Search the L2 graph of augmented vectors (see BuildHnsw) instead of
  // the inner-product graph of the vectors themselves.
  bool mips_transform = false;
};

struct IvfOptions {
  int nlist = 0;    // Clusters; 0: 4 * sqrt(items).
  int nprobe = 24;  // Clusters visited per query.
  bool mips_transform = true;  // As for HnswOptions.
};

class FaissItemIndex : public ItemIndex {
 public:
  // An exact inner-product index (faiss::IndexFlatIP) over `items`.
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> BuildExact(
      const EmbeddingMatrix& items);

  // Approximate indexes. With mips_transform they search by L2 distance
  // over the vectors augmented with one coordinate sqrt(max_norm^2 - |x|^2),
  // which turns maximum inner product into nearest neighbour (Bachrach et
  // al., "Speeding up the Xbox recommender system using a Euclidean
  // transformation for inner-product spaces", RecSys 2014); without it they
  // search by inner product directly (for HNSW: ip-NSW, Morozov & Babenko,
  // "Non-metric similarity graphs for maximum inner product search",
  // NeurIPS 2018). Scores returned are inner products either way. Building
  // uses FAISS's OpenMP threads.
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> BuildHnsw(
      const EmbeddingMatrix& items, const HnswOptions& options);
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> BuildIvf(
      const EmbeddingMatrix& items, const IvfOptions& options);

  // Reads an index written by Serialize().
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> Deserialize(
      absl::string_view bytes);

  ~FaissItemIndex() override;

  int32_t dimension() const override;
  int64_t size() const override;
  std::string type() const override;
  absl::StatusOr<std::vector<ScoredItem>> Search(absl::Span<const float> query,
                                                 int k) const override;
  absl::StatusOr<std::string> Serialize() const override;
  int64_t memory_bytes() const override;

  // Sets the search breadth: efSearch of an HNSW index, nprobe of an IVF
  // index (for tuning and benchmarks). InvalidArgument for a flat index or
  // breadth < 1. Not thread-safe: call before searches start.
  absl::Status SetSearchBreadth(int breadth);

 private:
  // `max_norm2` > 0 marks an augmented (L2) index over vectors whose largest
  // squared norm was max_norm2.
  FaissItemIndex(std::unique_ptr<faiss::Index> index, float max_norm2);

  std::unique_ptr<faiss::Index> index_;
  float max_norm2_ = 0;
  // HNSW: visited tables (a byte per item) reused across searches.
  std::unique_ptr<VisitedTablePool> visited_tables_;
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_
