#include "recommender/index/hnsw_search.h"

#include <faiss/IndexHNSW.h>

#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

std::vector<float> RandomVectors(int n, int d, uint32_t seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal;
  std::vector<float> values(static_cast<size_t>(n) * d);
  for (float& v : values) v = normal(random);
  return values;
}

// One reused table answers every query as FAISS's own search (a fresh
// table per call) does, for inner-product and L2 graphs, including a k
// larger than the graph holds.
TEST(HnswSearchTest, AReusedTableAnswersAsFaissDoes) {
  const int n = 1500;
  const int d = 12;
  const std::vector<float> items = RandomVectors(n, d, 1);
  const std::vector<float> queries = RandomVectors(200, d, 2);
  for (faiss::MetricType metric :
       {faiss::METRIC_INNER_PRODUCT, faiss::METRIC_L2}) {
    faiss::IndexHNSWFlat index(d, 16, metric);
    index.hnsw.efConstruction = 40;
    index.add(n, items.data());
    index.hnsw.efSearch = 20;
    faiss::VisitedTable visited(n);
    for (int k : {1, 10, 2 * n}) {
      for (int q = 0; q < 200; ++q) {
        const float* query = queries.data() + q * d;
        std::vector<float> got_scores(k), want_scores(k);
        std::vector<faiss::Index::idx_t> got(k), want(k);
        SearchHnswGraph(index, query, k, visited, got_scores.data(),
                        got.data());
        index.search(1, query, k, want_scores.data(), want.data());
        ASSERT_EQ(got, want)
            << "metric " << metric << " k " << k << " query " << q;
        ASSERT_EQ(got_scores, want_scores);
      }
    }
  }
}

}  // namespace
}  // namespace recommender
