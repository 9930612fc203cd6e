#include "recommender/index/exact_item_index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "recommender/index/testing_vectors.h"

namespace recommender {
namespace {

// The k best rows by a plain double-precision scan (ties: lower row).
std::vector<ScoredItem> BruteForce(const EmbeddingMatrix& items,
                                   absl::Span<const float> query, int k) {
  std::vector<ScoredItem> all;
  for (int64_t r = 0; r < items.rows; ++r) {
    double s = 0;
    for (int j = 0; j < items.dimension; ++j) s += items.row(r)[j] * query[j];
    all.push_back({static_cast<int32_t>(r), static_cast<float>(s)});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const ScoredItem& a, const ScoredItem& b) {
                     return a.score > b.score;
                   });
  all.resize(std::min<size_t>(k, all.size()));
  return all;
}

class ExactItemIndexTest : public ::testing::TestWithParam<int> {};

TEST_P(ExactItemIndexTest, MatchesBruteForceForEveryDimension) {
  const int d = GetParam();
  // 1003 rows: the last block is partly padding.
  const EmbeddingMatrix items = RandomVectors(1003, d, 7);
  const EmbeddingMatrix queries = RandomVectors(9, d, 8);
  auto index = ExactItemIndex::Build(items);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ((*index)->size(), 1003);
  EXPECT_EQ((*index)->dimension(), d);
  for (int q = 0; q < queries.rows; ++q) {
    auto found = (*index)->Search(queries.row(q), 10);
    ASSERT_TRUE(found.ok());
    const std::vector<ScoredItem> expected = BruteForce(items, queries.row(q), 10);
    ASSERT_EQ(found->size(), 10u);
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ((*found)[i].item, expected[i].item) << "query " << q;
      EXPECT_NEAR((*found)[i].score, expected[i].score, 1e-3);
    }
  }
  // A batch, including a tail of queries that is not a multiple of 4,
  // returns what single searches return.
  auto batch = (*index)->SearchBatch(queries.values, 10);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 9u);
  for (int q = 0; q < queries.rows; ++q) {
    auto single = (*index)->Search(queries.row(q), 10);
    ASSERT_EQ((*batch)[q].size(), single->size());
    for (size_t i = 0; i < single->size(); ++i) {
      EXPECT_EQ((*batch)[q][i].item, (*single)[i].item);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Dimensions, ExactItemIndexTest,
                         ::testing::Values(1, 3, 8, 17, 64, 128));

// The batch kernel scores 3 blocks of 8 items at a time: 997 items are 125
// blocks, 41 tiles and a tail of 2 blocks, the last one partly padding.
TEST(ExactItemIndexTest, BatchMatchesSingleSearchesWithATailOfBlocks) {
  for (int rows : {997, 1010}) {
    const EmbeddingMatrix items = RandomVectors(rows, 16, 11);
    const EmbeddingMatrix queries = RandomVectors(7, 16, 12);
    auto index = ExactItemIndex::Build(items);
    ASSERT_TRUE(index.ok()) << index.status();
    auto batch = (*index)->SearchBatch(queries.values, 10);
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_EQ(batch->size(), 7u);
    for (int q = 0; q < queries.rows; ++q) {
      const std::vector<ScoredItem> expected =
          BruteForce(items, queries.row(q), 10);
      ASSERT_EQ((*batch)[q].size(), 10u);
      for (int i = 0; i < 10; ++i) {
        EXPECT_EQ((*batch)[q][i].item, expected[i].item)
            << rows << " rows, query " << q;
      }
    }
  }
}

TEST(ExactItemIndexTest, ReturnsAllItemsWhenKExceedsSizeAndBreaksTiesByRow) {
  EmbeddingMatrix items;
  items.rows = 5;
  items.dimension = 2;
  items.values = {1, 0, 0, 1, 1, 0, 2, 0, 1, 0};
  auto index = ExactItemIndex::Build(items);
  ASSERT_TRUE(index.ok());
  const std::vector<float> query = {1, 0};
  auto found = (*index)->Search(query, 50);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 5u);
  std::vector<int32_t> rows;
  for (const ScoredItem& s : *found) rows.push_back(s.item);
  EXPECT_EQ(rows, (std::vector<int32_t>{3, 0, 2, 4, 1}));
}

TEST(ExactItemIndexTest, RejectsBadQueries) {
  auto index = ExactItemIndex::Build(RandomVectors(20, 4, 1));
  ASSERT_TRUE(index.ok());
  const std::vector<float> wrong = {1, 2, 3};
  EXPECT_EQ((*index)->Search(wrong, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<float> good = {1, 2, 3, 4};
  EXPECT_EQ((*index)->Search(good, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<float> nan = {1, std::numeric_limits<float>::quiet_NaN(), 3, 4};
  EXPECT_EQ((*index)->Search(nan, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*index)->SearchBatch(wrong, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ExactItemIndex::Build(EmbeddingMatrix()).ok());
}

TEST(ExactItemIndexTest, SerializesAHeaderCheckedAgainstTheItems) {
  const EmbeddingMatrix items = RandomVectors(30, 4, 2);
  auto index = ExactItemIndex::Build(items);
  ASSERT_TRUE(index.ok());
  auto bytes = (*index)->Serialize();
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), 24u);
  auto loaded = ExactItemIndex::Deserialize(*bytes, items);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->size(), 30);
  EXPECT_EQ(ExactItemIndex::Deserialize(*bytes, RandomVectors(31, 4, 2))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ExactItemIndex::Deserialize("garbage", items).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace recommender
