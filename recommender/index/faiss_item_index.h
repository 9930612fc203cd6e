// FaissItemIndex: an ItemIndex backed by a FAISS index.
//
// FAISS reports errors by throwing; every call into FAISS is wrapped here and
// turned into an absl::Status that says what failed, so no exception leaves
// this adapter. Thread-safe for concurrent Search calls; each Search runs on
// the calling thread only (FAISS's OpenMP team is set to one thread), since
// concurrency in the server comes from its request threads.
#ifndef RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_
#define RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/index/item_index.h"
#include "recommender/model/embedding_matrix.h"

namespace faiss {
struct Index;
}  // namespace faiss

namespace recommender {

class FaissItemIndex : public ItemIndex {
 public:
  // An exact inner-product index (faiss::IndexFlatIP) over `items`.
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> BuildExact(
      const EmbeddingMatrix& items);

  // Reads an index written by Serialize().
  static absl::StatusOr<std::unique_ptr<FaissItemIndex>> Deserialize(
      absl::string_view bytes);

  ~FaissItemIndex() override;

  int32_t dimension() const override;
  int64_t size() const override;
  std::string type() const override;
  absl::StatusOr<std::vector<ScoredItem>> Search(absl::Span<const float> query,
                                                 int k) const override;
  absl::StatusOr<std::string> Serialize() const override;

 private:
  explicit FaissItemIndex(std::unique_ptr<faiss::Index> index);

  std::unique_ptr<faiss::Index> index_;
};

}  // namespace recommender

#endif  // RECOMMENDER_INDEX_FAISS_ITEM_INDEX_H_
