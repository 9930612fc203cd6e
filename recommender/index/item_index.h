// ItemIndex: maximum-inner-product search over the item embeddings of one
// model snapshot. Implementations are immutable after construction and
// thread-safe for concurrent searches.
#ifndef RECOMMENDER_INDEX_ITEM_INDEX_H_
#define RECOMMENDER_INDEX_ITEM_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace recommender {

struct ScoredItem {
  int32_t item = 0;  // Row in the snapshot's item table.
  float score = 0;   // Inner product with the query.
};

class ItemIndex {
 public:
  virtual ~ItemIndex() = default;

  virtual int32_t dimension() const = 0;
  virtual int64_t size() const = 0;
  // A short name of the index kind, recorded in the manifest ("flat_ip", ...).
  virtual std::string type() const = 0;

  // Returns the min(k, size()) items with the highest inner product with
  // `query` (dimension() floats), best first. Uses only the calling thread.
  // InvalidArgument if the query has the wrong dimension or k < 1.
  virtual absl::StatusOr<std::vector<ScoredItem>> Search(
      absl::Span<const float> query, int k) const = 0;

  // Searches `queries` (row-major, queries.size() / dimension() of them);
  // result[i] is what Search(query i, k) returns. Indexes that can share
  // work across queries override it; the default searches one by one.
  virtual absl::StatusOr<std::vector<std::vector<ScoredItem>>> SearchBatch(
      absl::Span<const float> queries, int k) const {
    std::vector<std::vector<ScoredItem>> results;
    const int32_t d = dimension();
    if (d < 1 || queries.size() % d != 0) {
      return absl::InvalidArgumentError(
          "queries: size must be a multiple of the dimension");
    }
    for (size_t begin = 0; begin < queries.size(); begin += d) {
      absl::StatusOr<std::vector<ScoredItem>> found =
          Search(queries.subspan(begin, d), k);
      if (!found.ok()) return found.status();
      results.push_back(*std::move(found));
    }
    return results;
  }

  // Bytes the index holds in memory (vectors, graph links, lists), for
  // capacity planning; excludes the snapshot's own copy of the factors.
  virtual int64_t memory_bytes() const = 0;

  // The index's bytes, to be stored in a snapshot.
  virtual absl::StatusOr<std::string> Serialize() const = 0;
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_ITEM_INDEX_H_
