// Choosing, building and loading the item index of a snapshot, and
// measuring an approximate index's recall against the exact one.
//
// Thread-safe: no shared state (building uses FAISS's OpenMP threads).
#ifndef RECOMMENDER_INDEX_ITEM_INDEX_FACTORY_H_
#define RECOMMENDER_INDEX_ITEM_INDEX_FACTORY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/index/faiss_item_index.h"
#include "recommender/index/item_index.h"
#include "recommender/embedding/embedding_matrix.h"

namespace recommender {

enum class IndexKind {
  kAuto,   // kExact up to exact_max_items, kHnsw above.
  kExact,  // ExactItemIndex (AVX2 scan).
  kHnsw,   // FAISS HNSW.
  kIvf,    // FAISS IVF-Flat.
};

// "auto", "exact", "hnsw", "ivf"; InvalidArgument naming the choices otherwise.
absl::StatusOr<IndexKind> ParseIndexKind(absl::string_view name);

struct IndexOptions {
  IndexKind kind = IndexKind::kAuto;
  // Catalogs up to this many items are scanned exactly (10k x 64 floats is
  // 2.5 MB, ~0.15 ms per query); larger ones get HNSW.
  int64_t exact_max_items = 10000;
  // For HNSW and IVF, when > 0: the trainer replaces hnsw.ef_search /
  // ivf.nprobe with the smallest breadth of kSearchBreadths whose recall@10
  // on its customers reaches this (TuneSearchBreadth). 0 keeps them as given.
  double recall_target = 0.97;
  HnswOptions hnsw;
  IvfOptions ivf;
};

// Builds the index `options` asks for over `items`.
absl::StatusOr<std::unique_ptr<ItemIndex>> BuildItemIndex(
    const EmbeddingMatrix& items, const IndexOptions& options);

// Reads an index written by ItemIndex::Serialize, given its type() as
// recorded in the manifest and the item vectors it indexes (the exact index
// keeps only a header). DataLoss if the bytes do not fit the type or items.
absl::StatusOr<std::unique_ptr<ItemIndex>> LoadItemIndex(
    absl::string_view type, absl::string_view bytes,
    const EmbeddingMatrix& items);

// recall@k of `index` against exact search over `items`, averaged over
// `queries` (its rows; e.g. customer vectors): the share of the exact top k
// that the index also returns. Exact and approximate results are computed
// here, in the same run.
absl::StatusOr<double> MeasureRecall(const ItemIndex& index,
                                     const EmbeddingMatrix& items,
                                     const EmbeddingMatrix& queries, int k);

// The search breadths TuneSearchBreadth tries, smallest first.
inline constexpr int kSearchBreadths[] = {10, 16, 24, 32,  48,  64,
                                          96, 128, 192, 256, 384, 512};

struct BreadthChoice {
  int breadth = 0;     // efSearch (HNSW) or nprobe (IVF) now set.
  double recall = 0;   // Its recall@k against exact search.
};

// Sets `index`'s search breadth to the smallest of kSearchBreadths whose
// recall@k over `queries` (rows, e.g. customer vectors) against exact
// search over `items` reaches `target`; if none does, to the largest. The
// exact answers are computed once. InvalidArgument for a flat index, no
// queries or a target outside (0, 1]. Not thread-safe (changes `index`).
absl::StatusOr<BreadthChoice> TuneSearchBreadth(FaissItemIndex& index,
                                                const EmbeddingMatrix& items,
                                                const EmbeddingMatrix& queries,
                                                int k, double target);

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_ITEM_INDEX_FACTORY_H_
