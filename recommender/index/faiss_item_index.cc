#include "recommender/index/faiss_item_index.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <cstring>
#include <exception>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

// LeakSanitizer (bazel test --config=asan): FAISS 1.7.3's read_index leaks
// the partly read index when it throws on a corrupt file. The exception is
// caught below; the leak is inside FAISS.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:faiss::read_index\n";
}

namespace recommender {
namespace {

// Limits OpenMP in FAISS to the calling thread for one scope.
class SingleThreadedScope {
 public:
  SingleThreadedScope() : previous_(omp_get_max_threads()) {
    omp_set_num_threads(1);
  }
  ~SingleThreadedScope() { omp_set_num_threads(previous_); }

 private:
  int previous_;
};

absl::Status FaissError(absl::string_view what, const std::exception& e) {
  return absl::InternalError(absl::StrCat("FAISS ", what, ": ", e.what()));
}

}  // namespace

FaissItemIndex::FaissItemIndex(std::unique_ptr<faiss::Index> index)
    : index_(std::move(index)) {}

FaissItemIndex::~FaissItemIndex() = default;

absl::StatusOr<std::unique_ptr<FaissItemIndex>> FaissItemIndex::BuildExact(
    const EmbeddingMatrix& items) {
  if (items.dimension <= 0) {
    return absl::InvalidArgumentError("item embeddings have no dimension");
  }
  try {
    auto index = std::make_unique<faiss::IndexFlatIP>(items.dimension);
    index->add(items.rows, items.values.data());
    return std::unique_ptr<FaissItemIndex>(
        new FaissItemIndex(std::move(index)));
  } catch (const std::exception& e) {
    return FaissError("building a flat index", e);
  }
}

absl::StatusOr<std::unique_ptr<FaissItemIndex>> FaissItemIndex::Deserialize(
    absl::string_view bytes) {
  try {
    faiss::VectorIOReader reader;
    reader.data.assign(bytes.begin(), bytes.end());
    std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
    if (index->metric_type != faiss::METRIC_INNER_PRODUCT) {
      return absl::DataLossError("FAISS index does not use inner product");
    }
    return std::unique_ptr<FaissItemIndex>(
        new FaissItemIndex(std::move(index)));
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat("FAISS cannot read the index: ", e.what()));
  }
}

int32_t FaissItemIndex::dimension() const { return index_->d; }

int64_t FaissItemIndex::size() const { return index_->ntotal; }

std::string FaissItemIndex::type() const {
  if (dynamic_cast<const faiss::IndexFlat*>(index_.get()) != nullptr) {
    return "flat_ip";
  }
  return "faiss";
}

absl::StatusOr<std::vector<ScoredItem>> FaissItemIndex::Search(
    absl::Span<const float> query, int k) const {
  if (static_cast<int32_t>(query.size()) != dimension()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query has dimension ", query.size(), ", index has ",
                     dimension()));
  }
  if (k < 1) return absl::InvalidArgumentError("k must be >= 1");
  const int64_t wanted = std::min<int64_t>(k, size());
  std::vector<float> scores(wanted);
  std::vector<faiss::Index::idx_t> labels(wanted);
  try {
    SingleThreadedScope single_threaded;
    index_->search(1, query.data(), wanted, scores.data(), labels.data());
  } catch (const std::exception& e) {
    return FaissError("search", e);
  }
  std::vector<ScoredItem> result;
  result.reserve(wanted);
  for (int64_t i = 0; i < wanted; ++i) {
    if (labels[i] < 0) break;
    result.push_back({static_cast<int32_t>(labels[i]), scores[i]});
  }
  return result;
}

absl::StatusOr<std::string> FaissItemIndex::Serialize() const {
  try {
    faiss::VectorIOWriter writer;
    faiss::write_index(index_.get(), &writer);
    return std::string(writer.data.begin(), writer.data.end());
  } catch (const std::exception& e) {
    return FaissError("serialize", e);
  }
}

}  // namespace recommender
