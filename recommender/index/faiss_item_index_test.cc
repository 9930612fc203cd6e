#include "recommender/index/faiss_item_index.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace recommender {
namespace {

EmbeddingMatrix RandomItems(int rows, int dimension, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  EmbeddingMatrix m;
  m.rows = rows;
  m.dimension = dimension;
  m.values.resize(static_cast<size_t>(rows) * dimension);
  for (float& v : m.values) v = normal(rng);
  return m;
}

float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

TEST(FaissItemIndexTest, ExactSearchMatchesBruteForce) {
  const EmbeddingMatrix items = RandomItems(500, 16, 1);
  auto index = FaissItemIndex::BuildExact(items);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->size(), 500);
  EXPECT_EQ((*index)->type(), "flat_ip");

  const EmbeddingMatrix queries = RandomItems(5, 16, 2);
  for (int q = 0; q < queries.rows; ++q) {
    auto found = (*index)->Search(queries.row(q), 10);
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 10u);
    int best = 0;
    for (int i = 1; i < items.rows; ++i) {
      if (Dot(queries.row(q), items.row(i)) >
          Dot(queries.row(q), items.row(best))) {
        best = i;
      }
    }
    EXPECT_EQ((*found)[0].item, best);
    EXPECT_NEAR((*found)[0].score, Dot(queries.row(q), items.row(best)), 1e-4);
    for (size_t i = 1; i < found->size(); ++i) {
      EXPECT_GE((*found)[i - 1].score, (*found)[i].score);
    }
  }
}

TEST(FaissItemIndexTest, KLargerThanIndexReturnsEverything) {
  auto index = FaissItemIndex::BuildExact(RandomItems(7, 4, 3));
  ASSERT_TRUE(index.ok());
  auto found = (*index)->Search(RandomItems(1, 4, 4).row(0), 100);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 7u);
}

TEST(FaissItemIndexTest, RejectsBadQueries) {
  auto index = FaissItemIndex::BuildExact(RandomItems(7, 4, 3));
  ASSERT_TRUE(index.ok());
  std::vector<float> wrong(5, 1.0f);
  EXPECT_EQ((*index)->Search(wrong, 3).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<float> right(4, 1.0f);
  EXPECT_EQ((*index)->Search(right, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FaissItemIndexTest, SerializeRoundTripsAndCorruptionIsAnError) {
  const EmbeddingMatrix items = RandomItems(50, 8, 5);
  auto index = FaissItemIndex::BuildExact(items);
  ASSERT_TRUE(index.ok());
  absl::StatusOr<std::string> bytes = (*index)->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto restored = FaissItemIndex::Deserialize(*bytes);
  ASSERT_TRUE(restored.ok()) << restored.status();
  auto a = (*index)->Search(items.row(3), 5);
  auto b = (*restored)->Search(items.row(3), 5);
  ASSERT_TRUE(a.ok() && b.ok());
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*a)[i].item, (*b)[i].item);

  auto garbage = FaissItemIndex::Deserialize("definitely not a faiss index");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kDataLoss);
  auto truncated =
      FaissItemIndex::Deserialize(absl::string_view(*bytes).substr(0, 40));
  EXPECT_FALSE(truncated.ok());
}

// The HNSW search with its pool's reused visited tables answers exactly as
// FAISS's own IndexHNSW::search (a fresh table per call), query after
// query, also with two graphs of one size searched in turn (inner product
// and the L2 transform).
TEST(FaissItemIndexTest, HnswSearchAnswersAsFaissDoes) {
  const int n = 2000;
  const int d = 16;
  const EmbeddingMatrix items = RandomItems(n, d, 5);
  const EmbeddingMatrix queries = RandomItems(300, d, 6);
  for (bool transform : {false, true}) {
    HnswOptions options;
    options.ef_search = 24;
    options.mips_transform = transform;
    auto ours = FaissItemIndex::BuildHnsw(items, options);
    auto other = FaissItemIndex::BuildHnsw(RandomItems(n, d, 7), options);
    ASSERT_TRUE(ours.ok() && other.ok());
    auto bytes = (*ours)->Serialize();
    ASSERT_TRUE(bytes.ok());
    faiss::VectorIOReader reader;
    reader.data.assign(bytes->begin(), bytes->end());
    std::unique_ptr<faiss::Index> reference(faiss::read_index(&reader));
    auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(reference.get());
    ASSERT_NE(hnsw, nullptr);
    hnsw->hnsw.efSearch = options.ef_search;
    const int k = 10;
    for (int q = 0; q < queries.rows; ++q) {
      const absl::Span<const float> query = queries.row(q);
      auto found = (*ours)->Search(query, k);
      ASSERT_TRUE(found.ok()) << found.status();
      ASSERT_TRUE((*other)->Search(query, k).ok());
      std::vector<float> x(query.begin(), query.end());
      if (transform) x.push_back(0);
      std::vector<float> distances(k);
      std::vector<faiss::Index::idx_t> labels(k);
      reference->search(1, x.data(), k, distances.data(), labels.data());
      ASSERT_EQ(found->size(), static_cast<size_t>(k));
      for (int i = 0; i < k; ++i) {
        EXPECT_EQ((*found)[i].item, labels[i]) << "query " << q << " #" << i;
        // FAISS's reference sums in another order (no AVX2 storage).
        if (!transform) {
          EXPECT_NEAR((*found)[i].score, distances[i], 1e-4);
        }
      }
    }
  }
}

// Searches running at once each get a table of their own: the answers are
// those of the same searches one after another.
TEST(FaissItemIndexTest, ConcurrentHnswSearchesAnswerAsSequentialOnes) {
  const EmbeddingMatrix items = RandomItems(2000, 16, 8);
  const EmbeddingMatrix queries = RandomItems(200, 16, 9);
  HnswOptions options;
  options.ef_search = 32;
  auto index = FaissItemIndex::BuildHnsw(items, options);
  ASSERT_TRUE(index.ok());
  std::vector<std::vector<ScoredItem>> expected;
  for (int q = 0; q < queries.rows; ++q) {
    expected.push_back((*index)->Search(queries.row(q), 10).value());
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (int q = t; q < queries.rows; q += 2) {
          const std::vector<ScoredItem> got =
              (*index)->Search(queries.row(q), 10).value();
          for (size_t i = 0; i < got.size(); ++i) {
            if (got[i].item != expected[q][i].item) ++mismatches;
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace recommender
