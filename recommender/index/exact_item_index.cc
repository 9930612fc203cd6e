#include "recommender/index/exact_item_index.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/index/top_k.h"

namespace recommender {
namespace {

constexpr int kLanes = 8;
constexpr char kMagic[8] = {'R', 'E', 'C', 'E', 'X', 'A', 'C', 'T'};
constexpr size_t kHeaderBytes = 24;
// Items per cache chunk of a batch search (2 * 256 KB of vectors at d = 64
// would spill L2; 1024 items of 64 floats are 256 KB).
constexpr int64_t kChunkBytes = 256 * 1024;

absl::Status CheckQueries(absl::Span<const float> queries, int32_t dimension,
                          int k) {
  if (k < 1) return absl::InvalidArgumentError("k must be >= 1");
  if (queries.empty() || queries.size() % dimension != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("query has ", queries.size(),
                     " values, not a positive multiple of the dimension ",
                     dimension));
  }
  for (float v : queries) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError("query has a non-finite value");
    }
  }
  return absl::OkStatus();
}

// Offers the 8 lane scores of block `b` that reach the threshold.
inline void OfferBlock(__m256 scores, int64_t b, int64_t rows, TopK& top) {
  const __m256 threshold = _mm256_set1_ps(top.threshold());
  int mask = _mm256_movemask_ps(_mm256_cmp_ps(scores, threshold, _CMP_GE_OQ));
  if (mask == 0) return;
  alignas(32) float lane[kLanes];
  _mm256_store_ps(lane, scores);
  while (mask != 0) {
    const int i = __builtin_ctz(mask);
    mask &= mask - 1;
    const int64_t row = b * kLanes + i;
    if (row < rows && lane[i] >= top.threshold()) {
      top.Offer(static_cast<int32_t>(row), lane[i]);
    }
  }
}

// Scores one block of 8 items against one query: 4 independent FMA chains.
inline __m256 ScoreBlock(const float* block, const float* query, int d) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
  __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
  int j = 0;
  for (; j + 4 <= d; j += 4) {
    a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(query + j),
                         _mm256_load_ps(block + j * kLanes), a0);
    a1 = _mm256_fmadd_ps(_mm256_broadcast_ss(query + j + 1),
                         _mm256_load_ps(block + (j + 1) * kLanes), a1);
    a2 = _mm256_fmadd_ps(_mm256_broadcast_ss(query + j + 2),
                         _mm256_load_ps(block + (j + 2) * kLanes), a2);
    a3 = _mm256_fmadd_ps(_mm256_broadcast_ss(query + j + 3),
                         _mm256_load_ps(block + (j + 3) * kLanes), a3);
  }
  for (; j < d; ++j) {
    a0 = _mm256_fmadd_ps(_mm256_broadcast_ss(query + j),
                         _mm256_load_ps(block + j * kLanes), a0);
  }
  return _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
}

// True if any of the 8 scores reaches `threshold`: the cheap test before
// OfferBlock.
inline bool AnyReaches(__m256 scores, float threshold) {
  return _mm256_movemask_ps(_mm256_cmp_ps(scores, _mm256_set1_ps(threshold),
                                          _CMP_GE_OQ)) != 0;
}

// Scores 3 blocks (x0, x1, x2) against 4 queries: per dimension, 3 loads of
// items and 4 broadcasts feed 12 FMAs, whose 12 accumulators and 4 operands
// fill the 16 AVX2 registers. Not inlined: GCC keeps the accumulators in
// registers only when no call to TopK::Offer follows in the same function.
__attribute__((noinline)) void Score4x3(const float* x0, const float* x1,
                                        const float* x2,
                                        const float* const* queries, int d,
                                        __m256* out) {
  const float* q0 = queries[0];
  const float* q1 = queries[1];
  const float* q2 = queries[2];
  const float* q3 = queries[3];
  __m256 a00 = _mm256_setzero_ps(), a01 = _mm256_setzero_ps();
  __m256 a02 = _mm256_setzero_ps(), a10 = _mm256_setzero_ps();
  __m256 a11 = _mm256_setzero_ps(), a12 = _mm256_setzero_ps();
  __m256 a20 = _mm256_setzero_ps(), a21 = _mm256_setzero_ps();
  __m256 a22 = _mm256_setzero_ps(), a30 = _mm256_setzero_ps();
  __m256 a31 = _mm256_setzero_ps(), a32 = _mm256_setzero_ps();
  for (int j = 0; j < d; ++j) {
    const __m256 v0 = _mm256_load_ps(x0 + j * kLanes);
    const __m256 v1 = _mm256_load_ps(x1 + j * kLanes);
    const __m256 v2 = _mm256_load_ps(x2 + j * kLanes);
    __m256 w = _mm256_broadcast_ss(q0 + j);
    a00 = _mm256_fmadd_ps(w, v0, a00);
    a01 = _mm256_fmadd_ps(w, v1, a01);
    a02 = _mm256_fmadd_ps(w, v2, a02);
    w = _mm256_broadcast_ss(q1 + j);
    a10 = _mm256_fmadd_ps(w, v0, a10);
    a11 = _mm256_fmadd_ps(w, v1, a11);
    a12 = _mm256_fmadd_ps(w, v2, a12);
    w = _mm256_broadcast_ss(q2 + j);
    a20 = _mm256_fmadd_ps(w, v0, a20);
    a21 = _mm256_fmadd_ps(w, v1, a21);
    a22 = _mm256_fmadd_ps(w, v2, a22);
    w = _mm256_broadcast_ss(q3 + j);
    a30 = _mm256_fmadd_ps(w, v0, a30);
    a31 = _mm256_fmadd_ps(w, v1, a31);
    a32 = _mm256_fmadd_ps(w, v2, a32);
  }
  out[0] = a00;
  out[1] = a01;
  out[2] = a02;
  out[3] = a10;
  out[4] = a11;
  out[5] = a12;
  out[6] = a20;
  out[7] = a21;
  out[8] = a22;
  out[9] = a30;
  out[10] = a31;
  out[11] = a32;
}

// Scores blocks [begin, end) against 4 queries in tiles of 4 queries x 3
// blocks (Score4x3), offering each score to its query's TopK. Most tiles
// hold no score that reaches a query's threshold: one comparison of the
// tile's lane-wise maximum rules them out.
void ScoreTile4(const float* blocks, int64_t begin, int64_t end, int d,
                const float* const* queries, int64_t rows, TopK* const* tops) {
  const int64_t block_floats = static_cast<int64_t>(d) * kLanes;
  int64_t b = begin;
  __m256 scores[12];
  for (; b + 3 <= end; b += 3) {
    const float* x0 = blocks + b * block_floats;
    Score4x3(x0, x0 + block_floats, x0 + 2 * block_floats, queries, d, scores);
    for (int q = 0; q < 4; ++q) {
      const __m256* s = scores + 3 * q;
      if (!AnyReaches(_mm256_max_ps(_mm256_max_ps(s[0], s[1]), s[2]),
                      tops[q]->threshold())) {
        continue;
      }
      for (int i = 0; i < 3; ++i) OfferBlock(s[i], b + i, rows, *tops[q]);
    }
  }
  for (; b < end; ++b) {
    for (int q = 0; q < 4; ++q) {
      OfferBlock(ScoreBlock(blocks + b * block_floats, queries[q], d), b, rows,
                 *tops[q]);
    }
  }
}

}  // namespace

void ExactItemIndex::FreeDeleter::operator()(float* p) const { std::free(p); }

ExactItemIndex::ExactItemIndex(int64_t rows, int32_t dimension)
    : rows_(rows),
      dimension_(dimension),
      num_blocks_((rows + kLanes - 1) / kLanes) {
  const size_t bytes = static_cast<size_t>(num_blocks_) * dimension * kLanes *
                       sizeof(float);
  // aligned_alloc wants a multiple of the alignment: 8 floats * 4 bytes * d
  // is a multiple of 32; round up to 64.
  blocks_.reset(static_cast<float*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64)));
  std::memset(blocks_.get(), 0, bytes);
}

absl::StatusOr<std::unique_ptr<ExactItemIndex>> ExactItemIndex::Build(
    const EmbeddingMatrix& items) {
  if (items.dimension <= 0 || items.rows <= 0) {
    return absl::InvalidArgumentError("item embeddings are empty");
  }
  if (static_cast<int64_t>(items.values.size()) !=
      items.rows * items.dimension) {
    return absl::InvalidArgumentError("item embeddings have the wrong size");
  }
  std::unique_ptr<ExactItemIndex> index(
      new ExactItemIndex(items.rows, items.dimension));
  if (index->blocks_ == nullptr) {
    return absl::ResourceExhaustedError("cannot allocate the exact index");
  }
  const int d = items.dimension;
  for (int64_t r = 0; r < items.rows; ++r) {
    float* block = index->blocks_.get() + (r / kLanes) * d * kLanes;
    const float* row = items.values.data() + r * d;
    for (int j = 0; j < d; ++j) block[j * kLanes + r % kLanes] = row[j];
  }
  return index;
}

absl::StatusOr<std::unique_ptr<ExactItemIndex>> ExactItemIndex::Deserialize(
    absl::string_view bytes, const EmbeddingMatrix& items) {
  if (bytes.size() != kHeaderBytes ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError("exact index: not an exact index header");
  }
  uint64_t rows;
  uint32_t dimension;
  std::memcpy(&rows, bytes.data() + 8, sizeof(rows));
  std::memcpy(&dimension, bytes.data() + 16, sizeof(dimension));
  if (static_cast<int64_t>(rows) != items.rows ||
      static_cast<int32_t>(dimension) != items.dimension) {
    return absl::DataLossError(absl::StrCat(
        "exact index: header says ", rows, " x ", dimension,
        ", item factors are ", items.rows, " x ", items.dimension));
  }
  absl::StatusOr<std::unique_ptr<ExactItemIndex>> index = Build(items);
  if (!index.ok()) return absl::DataLossError(index.status().message());
  return index;
}

absl::StatusOr<std::string> ExactItemIndex::Serialize() const {
  std::string bytes(kHeaderBytes, '\0');
  const uint64_t rows = static_cast<uint64_t>(rows_);
  const uint32_t dimension = static_cast<uint32_t>(dimension_);
  std::memcpy(bytes.data(), kMagic, sizeof(kMagic));
  std::memcpy(bytes.data() + 8, &rows, sizeof(rows));
  std::memcpy(bytes.data() + 16, &dimension, sizeof(dimension));
  return bytes;
}

absl::StatusOr<std::vector<ScoredItem>> ExactItemIndex::Search(
    absl::Span<const float> query, int k) const {
  if (static_cast<int32_t>(query.size()) != dimension_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "query has dimension ", query.size(), ", index has ", dimension_));
  }
  if (absl::Status s = CheckQueries(query, dimension_, k); !s.ok()) return s;
  TopK top(static_cast<int>(std::min<int64_t>(k, rows_)));
  const int d = dimension_;
  for (int64_t b = 0; b < num_blocks_; ++b) {
    OfferBlock(ScoreBlock(block(b), query.data(), d), b, rows_, top);
  }
  return top.Take();
}

absl::StatusOr<std::vector<std::vector<ScoredItem>>>
ExactItemIndex::SearchBatch(absl::Span<const float> queries, int k) const {
  if (absl::Status s = CheckQueries(queries, dimension_, k); !s.ok()) return s;
  const int d = dimension_;
  const int64_t num_queries = static_cast<int64_t>(queries.size()) / d;
  std::vector<TopK> tops(num_queries,
                         TopK(static_cast<int>(std::min<int64_t>(k, rows_))));
  const int64_t chunk_blocks = std::max<int64_t>(
      3, kChunkBytes / (static_cast<int64_t>(d) * kLanes * sizeof(float)) / 3 * 3);
  for (int64_t begin = 0; begin < num_blocks_; begin += chunk_blocks) {
    const int64_t end = std::min(num_blocks_, begin + chunk_blocks);
    int64_t q = 0;
    for (; q + 4 <= num_queries; q += 4) {
      const float* qs[4];
      TopK* ts[4];
      for (int i = 0; i < 4; ++i) {
        qs[i] = queries.data() + (q + i) * d;
        ts[i] = &tops[q + i];
      }
      ScoreTile4(blocks_.get(), begin, end, d, qs, rows_, ts);
    }
    for (; q < num_queries; ++q) {
      const float* query = queries.data() + q * d;
      for (int64_t b = begin; b < end; ++b) {
        OfferBlock(ScoreBlock(block(b), query, d), b, rows_, tops[q]);
      }
    }
  }
  std::vector<std::vector<ScoredItem>> results;
  results.reserve(num_queries);
  for (TopK& top : tops) results.push_back(top.Take());
  return results;
}

}  // namespace recommender
