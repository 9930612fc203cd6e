#include "recommender/index/avx2_flat_storage.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/DistanceComputer.h>

#include <memory>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

// Rows a = (1, 2, ..., d) and b = (1, 1, ..., 1):
//   a . b = d (d + 1) / 2,   |a - b|^2 = (d - 1) d (2d - 1) / 6.
std::vector<float> TwoRows(int d) {
  std::vector<float> rows;
  for (int j = 0; j < d; ++j) rows.push_back(static_cast<float>(j + 1));
  for (int j = 0; j < d; ++j) rows.push_back(1.0f);
  return rows;
}

// Dimensions around the kernel's 16- and 8-wide steps and its scalar tail.
const int kDimensions[] = {1, 3, 7, 8, 9, 15, 16, 17, 24, 33, 64};

TEST(Avx2FlatStorageTest, InnerProductsForEveryDimension) {
  for (int d : kDimensions) {
    Avx2FlatStorage storage(d, faiss::METRIC_INNER_PRODUCT);
    const std::vector<float> rows = TwoRows(d);
    storage.add(2, rows.data());
    std::unique_ptr<faiss::FlatCodesDistanceComputer> computer(
        storage.get_FlatCodesDistanceComputer());
    computer->set_query(rows.data() + d);  // b as the query.
    EXPECT_FLOAT_EQ((*computer)(0), d * (d + 1) / 2.0f) << d;
    EXPECT_FLOAT_EQ((*computer)(1), static_cast<float>(d)) << d;
    EXPECT_FLOAT_EQ(computer->symmetric_dis(0, 1), d * (d + 1) / 2.0f) << d;
  }
}

TEST(Avx2FlatStorageTest, SquaredDistancesForEveryDimension) {
  for (int d : kDimensions) {
    Avx2FlatStorage storage(d, faiss::METRIC_L2);
    const std::vector<float> rows = TwoRows(d);
    storage.add(2, rows.data());
    std::unique_ptr<faiss::FlatCodesDistanceComputer> computer(
        storage.get_FlatCodesDistanceComputer());
    computer->set_query(rows.data() + d);
    const float expected = (d - 1) * d * (2 * d - 1) / 6.0f;
    EXPECT_FLOAT_EQ((*computer)(0), expected) << d;
    EXPECT_EQ((*computer)(1), 0.0f) << d;
    EXPECT_FLOAT_EQ(computer->symmetric_dis(1, 0), expected) << d;
  }
}

// `n` distinct points in `d` dimensions.
std::vector<float> Points(int n, int d) {
  std::vector<float> points;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) {
      points.push_back(static_cast<float>(((i + 1) * (j + 3)) % 17) - 8.0f +
                       0.01f * i);
    }
  }
  return points;
}

TEST(Avx2FlatStorageTest, SwappedInStorageSearchesTheSame) {
  constexpr int kN = 40, kD = 5, kK = 5;
  const std::vector<float> points = Points(kN, kD);
  faiss::IndexHNSWFlat index(kD, 8, faiss::METRIC_INNER_PRODUCT);
  index.add(kN, points.data());
  const float* query = points.data() + 7 * kD;
  std::vector<float> before_scores(kK), after_scores(kK);
  std::vector<faiss::Index::idx_t> before(kK), after(kK);
  index.search(1, query, kK, before_scores.data(), before.data());

  UseAvx2Storage(index);
  ASSERT_NE(dynamic_cast<Avx2FlatStorage*>(index.storage), nullptr);
  EXPECT_EQ(index.storage->ntotal, kN);
  EXPECT_TRUE(index.own_fields);
  const faiss::Index* storage = index.storage;
  UseAvx2Storage(index);  // Already swapped: left alone.
  EXPECT_EQ(index.storage, storage);

  index.search(1, query, kK, after_scores.data(), after.data());
  EXPECT_EQ(after, before);
  for (int k = 0; k < kK; ++k) {
    EXPECT_NEAR(after_scores[k], before_scores[k], 1e-4f) << k;
  }
}

}  // namespace
}  // namespace recommender
