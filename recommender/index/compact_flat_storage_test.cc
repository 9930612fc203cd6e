#include "recommender/index/compact_flat_storage.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/DistanceComputer.h>

#include <cmath>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/index/testing_vectors.h"

namespace recommender {
namespace {

// Dimensions around the kernel's 16- and 8-wide steps and its scalar tail.
const int kDimensions[] = {1, 3, 8, 9, 16, 17, 33, 64};

double Dot(const float* a, const float* b, int d) {
  double sum = 0;
  for (int j = 0; j < d; ++j) sum += double{a[j]} * b[j];
  return sum;
}

// Values exactly representable in both codes: multiples of 1/4 in [-8, 7.75]
// (int8: the range's 255 steps of 1/16 hold every quarter).
std::vector<float> QuarterGrid(int n, int d) {
  std::vector<float> rows;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) {
      rows.push_back(static_cast<float>((i * 7 + j * 5) % 64) / 4.0f - 8.0f);
    }
  }
  // Pin the int8 range to [-8, 7.9375] in every dimension.
  for (int j = 0; j < d; ++j) {
    rows[j] = -8.0f;
    rows[d + j] = 7.9375f;
  }
  return rows;
}

TEST(CompactFlatStorageTest, ExactOnRepresentableValuesForEveryDimension) {
  for (CompactCode code : {CompactCode::kFloat16, CompactCode::kInt8}) {
    for (int d : kDimensions) {
      CompactFlatStorage storage(d, code);
      const int n = 6;
      const std::vector<float> rows = QuarterGrid(n, d);
      storage.add(n, rows.data());
      ASSERT_EQ(storage.ntotal, n);
      EXPECT_EQ(storage.code_size,
                static_cast<size_t>(code == CompactCode::kFloat16 ? 2 * d : d));
      std::vector<float> decoded(n * d);
      storage.sa_decode(n, storage.codes.data(), decoded.data());
      EXPECT_EQ(decoded, rows) << CompactCodeName(code) << " d=" << d;

      std::unique_ptr<faiss::FlatCodesDistanceComputer> computer(
          storage.get_FlatCodesDistanceComputer());
      const float* query = rows.data() + 3 * d;
      computer->set_query(query);
      for (int i = 0; i < n; ++i) {
        EXPECT_NEAR((*computer)(i), Dot(query, rows.data() + i * d, d),
                    1e-3 * d)
            << CompactCodeName(code) << " d=" << d << " i=" << i;
        EXPECT_NEAR(computer->symmetric_dis(3, i),
                    Dot(query, rows.data() + i * d, d), 1e-3 * d);
      }
    }
  }
}

TEST(CompactFlatStorageTest, Int8ClampsValuesOutsideTheFirstAddsRange) {
  CompactFlatStorage storage(2, CompactCode::kInt8);
  const std::vector<float> first = {0, 0, 1, 1};
  storage.add(2, first.data());
  const std::vector<float> later = {5, -5};
  storage.add(1, later.data());
  std::vector<float> decoded(2);
  storage.sa_decode(1, storage.codes.data() + 2 * storage.code_size,
                    decoded.data());
  EXPECT_FLOAT_EQ(decoded[0], 1.0f);
  EXPECT_FLOAT_EQ(decoded[1], 0.0f);
}

// The point of the storage: an HNSW graph over it finds what exact search
// over the float vectors finds, after re-ranking a few more candidates.
TEST(CompactFlatStorageTest, HnswOverCompactCodesKeepsRecall) {
  const int n = 3000;
  const int d = 32;
  const int k = 10;
  const EmbeddingMatrix all = ClusteredVectors(n + 50, d, 30, 7);
  for (CompactCode code : {CompactCode::kFloat16, CompactCode::kInt8}) {
    faiss::IndexHNSW index(new CompactFlatStorage(d, code), 16);
    index.own_fields = true;
    index.hnsw.efConstruction = 80;
    index.add(n, all.values.data());
    index.hnsw.efSearch = 64;
    int found = 0;
    for (int q = 0; q < 50; ++q) {
      const float* query = all.values.data() + (n + q) * d;
      // Exact top k over the float vectors.
      std::vector<std::pair<double, int>> truth;
      for (int i = 0; i < n; ++i) {
        truth.push_back({Dot(query, all.values.data() + i * d, d), i});
      }
      std::partial_sort(truth.begin(), truth.begin() + k, truth.end(),
                        std::greater<>());
      // 4k candidates from the graph, re-ranked by the float vectors.
      const int wide = 4 * k;
      std::vector<float> scores(wide);
      std::vector<faiss::Index::idx_t> ids(wide);
      index.search(1, query, wide, scores.data(), ids.data());
      std::vector<std::pair<double, int>> reranked;
      for (faiss::Index::idx_t id : ids) {
        if (id >= 0) {
          reranked.push_back({Dot(query, all.values.data() + id * d, d),
                              static_cast<int>(id)});
        }
      }
      std::partial_sort(reranked.begin(), reranked.begin() + k, reranked.end(),
                        std::greater<>());
      for (int a = 0; a < k; ++a) {
        for (int b = 0; b < k; ++b)
          found += truth[a].second == reranked[b].second;
      }
    }
    EXPECT_GE(found / (50.0 * k), 0.95) << CompactCodeName(code);
  }
}

}  // namespace
}  // namespace recommender
