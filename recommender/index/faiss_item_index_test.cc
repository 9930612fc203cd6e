#include "recommender/index/faiss_item_index.h"

#include <random>

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

}  // namespace
}  // namespace recommender
