// ExactItemIndex: exact maximum-inner-product search by a full scan of the
// item vectors with AVX2/FMA kernels.
//
// The vectors are copied into blocks of 8 items, dimension-major inside a
// block ([block][dimension][8 lanes]), so one FMA scores 8 items at once with
// no horizontal sums, and the scan reads memory strictly sequentially: a
// single query runs at memory bandwidth. Batches of queries are scored in
// register tiles of 4 queries x 16 items, so each block is read from cache
// once per 4 queries: compute-bound instead of memory-bound.
//
// Immutable after construction; thread-safe for concurrent searches, each
// on the calling thread only.
#ifndef RECOMMENDER_INDEX_EXACT_ITEM_INDEX_H_
#define RECOMMENDER_INDEX_EXACT_ITEM_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "recommender/index/item_index.h"
#include "recommender/embedding/embedding_matrix.h"

namespace recommender {

class ExactItemIndex : public ItemIndex {
 public:
  // Copies `items`. InvalidArgument if it has no dimension or no rows.
  static absl::StatusOr<std::unique_ptr<ExactItemIndex>> Build(
      const EmbeddingMatrix& items);

  // Checks bytes written by Serialize() against `items` (the snapshot's item
  // factors, which hold the vectors) and builds the index. DataLoss if they
  // do not match.
  static absl::StatusOr<std::unique_ptr<ExactItemIndex>> Deserialize(
      absl::string_view bytes, const EmbeddingMatrix& items);

  int32_t dimension() const override { return dimension_; }
  int64_t size() const override { return rows_; }
  std::string type() const override { return "exact_avx2"; }
  absl::StatusOr<std::vector<ScoredItem>> Search(absl::Span<const float> query,
                                                 int k) const override;
  // A 24-byte header only ("RECEXACT", rows, dimension): the vectors are the
  // snapshot's item factors.
  absl::StatusOr<std::string> Serialize() const override;

  // Searches `queries` (row-major, queries.size() / dimension() of them) at
  // once; result[i] is what Search(query i, k) returns. Much cheaper per
  // query than single searches for batches of 8 or more.
  absl::StatusOr<std::vector<std::vector<ScoredItem>>> SearchBatch(
      absl::Span<const float> queries, int k) const override;

  // Its blocked copy of the vectors.
  int64_t memory_bytes() const override {
    return num_blocks_ * dimension_ * 8 * static_cast<int64_t>(sizeof(float));
  }

 private:
  struct FreeDeleter {
    void operator()(float* p) const;
  };

  ExactItemIndex(int64_t rows, int32_t dimension);
  const float* block(int64_t b) const {
    return blocks_.get() + b * dimension_ * 8;
  }

  int64_t rows_;
  int32_t dimension_;
  int64_t num_blocks_;
  // num_blocks_ * dimension_ * 8 floats, 64-byte aligned; rows past rows_
  // in the last block are zero and never returned.
  std::unique_ptr<float[], FreeDeleter> blocks_;
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_EXACT_ITEM_INDEX_H_
