#include "recommender/embedding/embedding_matrix.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

constexpr char kMagic[8] = {'R', 'E', 'C', 'E', 'M', 'B', '0', '1'};
constexpr size_t kHeaderSize = sizeof(kMagic) + 8 + 4 + 4;

static_assert(sizeof(float) == 4, "float32 expected");

}  // namespace

std::string SerializeEmbeddings(const EmbeddingMatrix& matrix) {
  std::string bytes(kHeaderSize + matrix.values.size() * sizeof(float), '\0');
  char* p = bytes.data();
  std::memcpy(p, kMagic, sizeof(kMagic));
  const uint64_t rows = static_cast<uint64_t>(matrix.rows);
  const uint32_t dimension = static_cast<uint32_t>(matrix.dimension);
  std::memcpy(p + 8, &rows, sizeof(rows));
  std::memcpy(p + 16, &dimension, sizeof(dimension));
  if (!matrix.values.empty()) {
    std::memcpy(p + kHeaderSize, matrix.values.data(),
                matrix.values.size() * sizeof(float));
  }
  return bytes;
}

absl::StatusOr<EmbeddingMatrix> ParseEmbeddings(absl::string_view bytes,
                                                absl::string_view name) {
  if (bytes.size() < kHeaderSize ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError(
        absl::StrCat(name, ": not an embedding file (bad header)"));
  }
  uint64_t rows;
  uint32_t dimension;
  std::memcpy(&rows, bytes.data() + 8, sizeof(rows));
  std::memcpy(&dimension, bytes.data() + 16, sizeof(dimension));
  if (dimension == 0 || dimension > 4096 || rows > (uint64_t{1} << 34)) {
    return absl::DataLossError(absl::StrCat(name, ": implausible shape ",
                                            rows, " x ", dimension));
  }
  const uint64_t expected = kHeaderSize + rows * dimension * sizeof(float);
  if (bytes.size() != expected) {
    return absl::DataLossError(absl::StrCat(name, ": size ", bytes.size(),
                                            " bytes, expected ", expected,
                                            " for ", rows, " x ", dimension));
  }
  EmbeddingMatrix matrix;
  matrix.rows = static_cast<int64_t>(rows);
  matrix.dimension = static_cast<int32_t>(dimension);
  matrix.values.resize(rows * dimension);
  if (!matrix.values.empty()) {
    std::memcpy(matrix.values.data(), bytes.data() + kHeaderSize,
                matrix.values.size() * sizeof(float));
  }
  return matrix;
}

}  // namespace recommender
