#include "recommender/index/item_index_factory.h"

#include <cmath>
#include <tuple>

#include "gtest/gtest.h"
#include "recommender/index/exact_item_index.h"
#include "recommender/index/testing_vectors.h"

namespace recommender {
namespace {

TEST(ItemIndexFactoryTest, ParsesKinds) {
  EXPECT_EQ(*ParseIndexKind("hnsw"), IndexKind::kHnsw);
  EXPECT_EQ(*ParseIndexKind("exact"), IndexKind::kExact);
  EXPECT_EQ(ParseIndexKind("annoy").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ItemIndexFactoryTest, AutoPicksExactForSmallCatalogsAndHnswAbove) {
  const EmbeddingMatrix items = ClusteredVectors(600, 8, 20, 3);
  IndexOptions options;
  options.exact_max_items = 600;
  auto small = BuildItemIndex(items, options);
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ((*small)->type(), "exact_avx2");
  options.exact_max_items = 599;
  auto large = BuildItemIndex(items, options);
  ASSERT_TRUE(large.ok()) << large.status();
  EXPECT_EQ((*large)->type(), "hnsw_flat");
}

class ApproximateIndexTest
    : public ::testing::TestWithParam<std::tuple<IndexKind, bool>> {};

// Approximate indexes find nearly all of the exact top 10, return inner
// products as scores, and survive a round trip through their bytes.
TEST_P(ApproximateIndexTest, HighRecallTrueScoresAndRoundTrip) {
  const EmbeddingMatrix items = ClusteredVectors(4000, 16, 50, 4);
  const EmbeddingMatrix queries = ClusteredVectors(100, 16, 50, 5);
  IndexOptions options;
  options.kind = std::get<0>(GetParam());
  options.hnsw.mips_transform = std::get<1>(GetParam());
  options.ivf.mips_transform = std::get<1>(GetParam());
  options.ivf.nprobe = 32;
  // Tight clusters are hard for a graph: a wide beam.
  options.hnsw.ef_construction = 200;
  options.hnsw.ef_search = 256;
  auto index = BuildItemIndex(items, options);
  ASSERT_TRUE(index.ok()) << index.status();
  auto recall = MeasureRecall(**index, items, queries, 10);
  ASSERT_TRUE(recall.ok()) << recall.status();
  EXPECT_GT(*recall, 0.9);
  // Vectors plus graph links or list ids: more than the raw vectors, well
  // under 4x (at d = 16, 32 links of 4 bytes are 2x the vector).
  const double raw = 4000.0 * 16 * sizeof(float);
  EXPECT_GT((*index)->memory_bytes(), raw);
  EXPECT_LT((*index)->memory_bytes(), 4 * raw);
  EXPECT_LE(*recall, 1.0);

  auto found = (*index)->Search(queries.row(0), 5);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 5u);
  for (const ScoredItem& s : *found) {
    float dot = 0;
    for (int j = 0; j < 16; ++j) dot += queries.row(0)[j] * items.row(s.item)[j];
    EXPECT_NEAR(s.score, dot, 1e-2 * std::max(1.0f, std::abs(dot)));
  }

  auto bytes = (*index)->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto loaded = LoadItemIndex((*index)->type(), *bytes, items);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  auto again = (*loaded)->Search(queries.row(0), 5);
  ASSERT_TRUE(again.ok());
  for (size_t i = 0; i < found->size(); ++i) {
    EXPECT_EQ((*again)[i].item, (*found)[i].item);
    EXPECT_NEAR((*again)[i].score, (*found)[i].score, 1e-4);
  }
  // The wrong type or the wrong items are refused.
  EXPECT_EQ(LoadItemIndex("flat_ip", *bytes, items).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(LoadItemIndex((*index)->type(), *bytes,
                          ClusteredVectors(10, 16, 2, 1))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
}

INSTANTIATE_TEST_SUITE_P(
    KindsAndTransforms, ApproximateIndexTest,
    ::testing::Combine(::testing::Values(IndexKind::kHnsw, IndexKind::kIvf),
                       ::testing::Bool()));

// Tuning picks the smallest breadth that reaches the target: its recall is
// what MeasureRecall reports at that breadth, the next smaller one falls
// short, and the breadth survives a round trip through the index's bytes.
TEST(ItemIndexFactoryTest, TunesTheSmallestBreadthReachingTheTarget) {
  const EmbeddingMatrix items = ClusteredVectors(4000, 16, 50, 4);
  const EmbeddingMatrix queries = ClusteredVectors(200, 16, 50, 5);
  HnswOptions hnsw;
  hnsw.ef_construction = 200;
  auto index = FaissItemIndex::BuildHnsw(items, hnsw);
  ASSERT_TRUE(index.ok()) << index.status();
  auto choice = TuneSearchBreadth(**index, items, queries, 10, 0.95);
  ASSERT_TRUE(choice.ok()) << choice.status();
  EXPECT_GE(choice->recall, 0.95);
  auto recall = MeasureRecall(**index, items, queries, 10);
  ASSERT_TRUE(recall.ok());
  EXPECT_DOUBLE_EQ(*recall, choice->recall);
  if (choice->breadth != kSearchBreadths[0]) {
    int smaller = 0;
    for (int b : kSearchBreadths) {
      if (b < choice->breadth) smaller = b;
    }
    ASSERT_TRUE((*index)->SetSearchBreadth(smaller).ok());
    auto less = MeasureRecall(**index, items, queries, 10);
    ASSERT_TRUE(less.ok());
    EXPECT_LT(*less, 0.95);
    ASSERT_TRUE((*index)->SetSearchBreadth(choice->breadth).ok());
  }
  auto bytes = (*index)->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto loaded = LoadItemIndex("hnsw_flat", *bytes, items);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  auto again = MeasureRecall(**loaded, items, queries, 10);
  ASSERT_TRUE(again.ok());
  EXPECT_DOUBLE_EQ(*again, choice->recall);

  // Targets outside (0, 1] and missing queries are refused.
  EXPECT_EQ(TuneSearchBreadth(**index, items, queries, 10, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TuneSearchBreadth(**index, items, EmbeddingMatrix(), 10, 0.9)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ItemIndexFactoryTest, LoadsExactAndRefusesUnknownTypesAndGarbage) {
  const EmbeddingMatrix items = RandomVectors(50, 4, 6);
  auto exact = BuildItemIndex(items, IndexOptions());
  ASSERT_TRUE(exact.ok());
  auto bytes = (*exact)->Serialize();
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(LoadItemIndex("exact_avx2", *bytes, items).ok());
  EXPECT_EQ(LoadItemIndex("annoy", *bytes, items).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(LoadItemIndex("hnsw_flat", "not faiss", items).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(ItemIndexFactoryTest, RecallOfTheExactIndexIsOne) {
  const EmbeddingMatrix items = RandomVectors(300, 8, 7);
  auto exact = ExactItemIndex::Build(items);
  ASSERT_TRUE(exact.ok());
  auto recall = MeasureRecall(**exact, items, RandomVectors(20, 8, 8), 10);
  ASSERT_TRUE(recall.ok());
  EXPECT_DOUBLE_EQ(*recall, 1.0);
}

}  // namespace
}  // namespace recommender
