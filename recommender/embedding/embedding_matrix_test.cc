#include "recommender/embedding/embedding_matrix.h"

#include "gtest/gtest.h"

namespace recommender {
namespace {

TEST(EmbeddingMatrixTest, RoundTrips) {
  EmbeddingMatrix m;
  m.rows = 3;
  m.dimension = 2;
  m.values = {1, 2, 3, 4, 5, -6.5f};
  absl::StatusOr<EmbeddingMatrix> parsed =
      ParseEmbeddings(SerializeEmbeddings(m), "m");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->rows, 3);
  EXPECT_EQ(parsed->dimension, 2);
  EXPECT_EQ(parsed->values, m.values);
  EXPECT_EQ(parsed->row(2)[1], -6.5f);
}

TEST(EmbeddingMatrixTest, RejectsTruncatedAndForeignFiles) {
  EmbeddingMatrix m;
  m.rows = 2;
  m.dimension = 4;
  m.values.assign(8, 1.0f);
  std::string bytes = SerializeEmbeddings(m);
  absl::StatusOr<EmbeddingMatrix> truncated =
      ParseEmbeddings(absl::string_view(bytes).substr(0, bytes.size() - 4),
                      "item_factors.emb");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(truncated.status().message().find("item_factors.emb"),
            std::string::npos);
  EXPECT_FALSE(ParseEmbeddings("hello world, not a matrix", "x").ok());
}

}  // namespace
}  // namespace recommender
