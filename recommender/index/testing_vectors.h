// Seeded synthetic item and query vectors for index tests and benchmarks.
#ifndef RECOMMENDER_INDEX_TESTING_VECTORS_H_
#define RECOMMENDER_INDEX_TESTING_VECTORS_H_

#include <cstdint>

#include "recommender/embedding/embedding_matrix.h"

namespace recommender {

// Independent standard normal values.
EmbeddingMatrix RandomVectors(int64_t rows, int32_t dimension, uint64_t seed);

// Vectors shaped like learned embeddings: each row is one of `clusters`
// random centres (a taste group) plus 0.5 x standard normal noise, scaled
// by a log-normal popularity factor.
EmbeddingMatrix ClusteredVectors(int64_t rows, int32_t dimension,
                                 int32_t clusters, uint64_t seed);

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_TESTING_VECTORS_H_
