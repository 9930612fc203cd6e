// Dense float32 vectors, one row per item or customer, and their on-disk
// form in a snapshot (a small header, then the rows little-endian).
#ifndef RECOMMENDER_EMBEDDING_EMBEDDING_MATRIX_H_
#define RECOMMENDER_EMBEDDING_EMBEDDING_MATRIX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace recommender {

struct EmbeddingMatrix {
  int64_t rows = 0;
  int32_t dimension = 0;
  // Row-major: size rows * dimension.
  std::vector<float> values;

  absl::Span<const float> row(int64_t r) const {
    return absl::MakeConstSpan(values.data() + r * dimension, dimension);
  }
  absl::Span<float> mutable_row(int64_t r) {
    return absl::MakeSpan(values.data() + r * dimension, dimension);
  }
};

// The file form: "RECEMB01", uint64 rows, uint32 dimension, uint32 zero,
// then rows * dimension float32 values.
std::string SerializeEmbeddings(const EmbeddingMatrix& matrix);

// Inverse of SerializeEmbeddings. `name` is used in error messages.
absl::StatusOr<EmbeddingMatrix> ParseEmbeddings(absl::string_view bytes,
                                                absl::string_view name);

}  // namespace recommender

#endif  // RECOMMENDER_EMBEDDING_EMBEDDING_MATRIX_H_
