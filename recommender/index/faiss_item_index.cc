#include "recommender/index/faiss_item_index.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "recommender/index/avx2_flat_storage.h"
#include "recommender/index/hnsw_search.h"

// LeakSanitizer (bazel test --config=asan): FAISS 1.7.3's read_index leaks
// the partly read index when it throws on a corrupt file. The exception is
// caught below; the leak is inside FAISS.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:faiss::read_index\n";
}

namespace recommender {
// Visited tables for one HNSW graph (hnsw_search.h), lent one per search.
// A table is left clean after each search, so it can be lent again at once.
// The pool holds as many tables as searches ever ran at once, and frees
// them with the index.
class VisitedTablePool {
 public:
  explicit VisitedTablePool(int64_t size) : size_(size) {}

  class Lease {
   public:
    explicit Lease(VisitedTablePool& pool) : pool_(pool), table_(pool.Take()) {}
    ~Lease() { pool_.Return(std::move(table_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    faiss::VisitedTable& get() { return *table_; }

   private:
    VisitedTablePool& pool_;
    std::unique_ptr<faiss::VisitedTable> table_;
  };

 private:
  std::unique_ptr<faiss::VisitedTable> Take() {
    {
      absl::MutexLock lock(&mu_);
      if (!free_.empty()) {
        std::unique_ptr<faiss::VisitedTable> table = std::move(free_.back());
        free_.pop_back();
        return table;
      }
    }
    return std::make_unique<faiss::VisitedTable>(static_cast<int>(size_));
  }
  void Return(std::unique_ptr<faiss::VisitedTable> table) {
    absl::MutexLock lock(&mu_);
    free_.push_back(std::move(table));
  }

  const int64_t size_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<faiss::VisitedTable>> free_ ABSL_GUARDED_BY(mu_);
};

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

// The vectors with one more coordinate, sqrt(max_norm2 - |x|^2), so that
// every augmented vector has squared norm max_norm2.
std::vector<float> Augment(const EmbeddingMatrix& items, float* max_norm2) {
  const int d = items.dimension;
  std::vector<float> norms(items.rows);
  float largest = 0;
  for (int64_t r = 0; r < items.rows; ++r) {
    float n = 0;
    for (float v : items.row(r)) n += v * v;
    norms[r] = n;
    largest = std::max(largest, n);
  }
  // A margin keeps the extra coordinate real under rounding.
  largest = largest > 0 ? largest * 1.0001f : 1.0f;
  std::vector<float> augmented(static_cast<size_t>(items.rows) * (d + 1));
  for (int64_t r = 0; r < items.rows; ++r) {
    std::copy_n(items.values.data() + r * d, d, augmented.data() + r * (d + 1));
    augmented[r * (d + 1) + d] = std::sqrt(std::max(0.0f, largest - norms[r]));
  }
  *max_norm2 = largest;
  return augmented;
}

float SquaredNorm(const float* v, int n) {
  float s = 0;
  for (int i = 0; i < n; ++i) s += v[i] * v[i];
  return s;
}

// The squared norm every augmented vector of `index` has, read back from a
// stored vector; 0 if the index is empty.
float StoredNorm2(const faiss::Index& index) {
  std::vector<float> v(index.d);
  if (const auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(&index)) {
    if (hnsw->ntotal == 0) return 0;
    hnsw->storage->reconstruct(0, v.data());
    return SquaredNorm(v.data(), index.d);
  }
  if (const auto* ivf = dynamic_cast<const faiss::IndexIVFFlat*>(&index)) {
    for (size_t list = 0; list < ivf->nlist; ++list) {
      if (ivf->invlists->list_size(list) == 0) continue;
      faiss::InvertedLists::ScopedCodes codes(ivf->invlists, list);
      return SquaredNorm(reinterpret_cast<const float*>(codes.get()), index.d);
    }
  }
  return 0;
}

}  // namespace

FaissItemIndex::FaissItemIndex(std::unique_ptr<faiss::Index> index,
                               float max_norm2)
    : index_(std::move(index)),
      max_norm2_(max_norm2),
      visited_tables_(dynamic_cast<const faiss::IndexHNSW*>(index_.get()) !=
                              nullptr
                          ? std::make_unique<VisitedTablePool>(index_->ntotal)
                          : nullptr) {}

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
        new FaissItemIndex(std::move(index), 0));
  } catch (const std::exception& e) {
    return FaissError("building a flat index", e);
  }
}

absl::StatusOr<std::unique_ptr<FaissItemIndex>> FaissItemIndex::BuildHnsw(
    const EmbeddingMatrix& items, const HnswOptions& options) {
  if (items.dimension <= 0 || items.rows <= 0) {
    return absl::InvalidArgumentError("item embeddings are empty");
  }
  if (options.m < 2 || options.ef_construction < 1 || options.ef_search < 1) {
    return absl::InvalidArgumentError("HNSW: m must be >= 2, ef >= 1");
  }
  try {
    float max_norm2 = 0;
    std::unique_ptr<faiss::IndexHNSWFlat> index;
    if (options.mips_transform) {
      const std::vector<float> augmented = Augment(items, &max_norm2);
      index = std::make_unique<faiss::IndexHNSWFlat>(items.dimension + 1,
                                                     options.m);
      UseAvx2Storage(*index);
      index->hnsw.efConstruction = options.ef_construction;
      index->add(items.rows, augmented.data());
    } else {
      index = std::make_unique<faiss::IndexHNSWFlat>(
          items.dimension, options.m, faiss::METRIC_INNER_PRODUCT);
      UseAvx2Storage(*index);
      index->hnsw.efConstruction = options.ef_construction;
      index->add(items.rows, items.values.data());
    }
    index->hnsw.efSearch = options.ef_search;
    return std::unique_ptr<FaissItemIndex>(
        new FaissItemIndex(std::move(index), max_norm2));
  } catch (const std::exception& e) {
    return FaissError("building an HNSW index", e);
  }
}

absl::StatusOr<std::unique_ptr<FaissItemIndex>> FaissItemIndex::BuildIvf(
    const EmbeddingMatrix& items, const IvfOptions& options) {
  if (items.dimension <= 0 || items.rows <= 0) {
    return absl::InvalidArgumentError("item embeddings are empty");
  }
  int nlist = options.nlist;
  if (nlist == 0) {
    nlist = static_cast<int>(4 * std::sqrt(static_cast<double>(items.rows)));
  }
  nlist = static_cast<int>(std::clamp<int64_t>(nlist, 1, items.rows));
  if (options.nprobe < 1) {
    return absl::InvalidArgumentError("IVF: nprobe must be >= 1");
  }
  try {
    const bool transform = options.mips_transform;
    const int d = items.dimension + (transform ? 1 : 0);
    float max_norm2 = 0;
    const std::vector<float> augmented =
        transform ? Augment(items, &max_norm2) : items.values;
    std::unique_ptr<faiss::IndexFlat> quantizer;
    if (transform) {
      quantizer = std::make_unique<faiss::IndexFlatL2>(d);
    } else {
      quantizer = std::make_unique<faiss::IndexFlatIP>(d);
    }
    auto index = std::make_unique<faiss::IndexIVFFlat>(
        quantizer.get(), d, nlist,
        transform ? faiss::METRIC_L2 : faiss::METRIC_INNER_PRODUCT);
    index->own_fields = true;
    quantizer.release();
    index->nprobe = std::min(options.nprobe, nlist);
    index->cp.seed = 1234;
    // Train k-means on an evenly spaced sample of 64 points per cluster.
    const int64_t sample = std::min<int64_t>(items.rows, int64_t{64} * nlist);
    std::vector<float> training(static_cast<size_t>(sample) * d);
    for (int64_t s = 0; s < sample; ++s) {
      const int64_t r = s * items.rows / sample;
      std::copy_n(augmented.data() + r * d, d, training.data() + s * d);
    }
    index->train(sample, training.data());
    index->add(items.rows, augmented.data());
    return std::unique_ptr<FaissItemIndex>(
        new FaissItemIndex(std::move(index), max_norm2));
  } catch (const std::exception& e) {
    return FaissError("building an IVF index", e);
  }
}

absl::StatusOr<std::unique_ptr<FaissItemIndex>> FaissItemIndex::Deserialize(
    absl::string_view bytes) {
  try {
    faiss::VectorIOReader reader;
    reader.data.assign(bytes.begin(), bytes.end());
    std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
    if (auto* hnsw = dynamic_cast<faiss::IndexHNSWFlat*>(index.get())) {
      UseAvx2Storage(*hnsw);
    }
    if (dynamic_cast<const faiss::IndexFlat*>(index.get()) != nullptr) {
      if (index->metric_type != faiss::METRIC_INNER_PRODUCT) {
        return absl::DataLossError("FAISS flat index does not use inner product");
      }
      return std::unique_ptr<FaissItemIndex>(
          new FaissItemIndex(std::move(index), 0));
    }
    const bool approximate =
        dynamic_cast<const faiss::IndexHNSWFlat*>(index.get()) != nullptr ||
        dynamic_cast<const faiss::IndexIVFFlat*>(index.get()) != nullptr;
    if (!approximate || (index->metric_type != faiss::METRIC_L2 &&
                         index->metric_type != faiss::METRIC_INNER_PRODUCT)) {
      return absl::DataLossError(
          "FAISS index is not a flat, HNSW or IVF index written by this "
          "service");
    }
    if (index->metric_type == faiss::METRIC_INNER_PRODUCT) {
      return std::unique_ptr<FaissItemIndex>(
          new FaissItemIndex(std::move(index), 0));
    }
    if (index->d < 2) return absl::DataLossError("FAISS index has d < 2");
    const float max_norm2 = StoredNorm2(*index);
    if (index->ntotal > 0 && !(max_norm2 > 0)) {
      return absl::DataLossError("FAISS index vectors are not augmented");
    }
    return std::unique_ptr<FaissItemIndex>(
        new FaissItemIndex(std::move(index), max_norm2));
  } catch (const std::exception& e) {
    return absl::DataLossError(
        absl::StrCat("FAISS cannot read the index: ", e.what()));
  }
}

int32_t FaissItemIndex::dimension() const {
  return max_norm2_ > 0 ? index_->d - 1 : index_->d;
}

int64_t FaissItemIndex::size() const { return index_->ntotal; }

std::string FaissItemIndex::type() const {
  if (dynamic_cast<const faiss::IndexFlat*>(index_.get()) != nullptr) {
    return "flat_ip";
  }
  if (dynamic_cast<const faiss::IndexHNSWFlat*>(index_.get()) != nullptr) {
    return "hnsw_flat";
  }
  if (dynamic_cast<const faiss::IndexIVFFlat*>(index_.get()) != nullptr) {
    return "ivf_flat";
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
  for (float v : query) {
    if (!std::isfinite(v)) {
      return absl::InvalidArgumentError("query has a non-finite value");
    }
  }
  const int64_t wanted = std::min<int64_t>(k, size());
  std::vector<float> scores(wanted);
  std::vector<faiss::Index::idx_t> labels(wanted);
  const bool augmented = max_norm2_ > 0;
  std::vector<float> padded;
  if (augmented) {
    padded.assign(query.begin(), query.end());
    padded.push_back(0);
  }
  try {
    const float* x = augmented ? padded.data() : query.data();
    if (const auto* hnsw =
            dynamic_cast<const faiss::IndexHNSW*>(index_.get())) {
      VisitedTablePool::Lease table(*visited_tables_);
      SearchHnswGraph(*hnsw, x, wanted, table.get(), scores.data(),
                      labels.data());
    } else {
      SingleThreadedScope single_threaded;
      index_->search(1, x, wanted, scores.data(), labels.data());
    }
  } catch (const std::exception& e) {
    return FaissError("search", e);
  }
  // Augmented: |q - x'|^2 = |q|^2 + max_norm2 - 2 q.x.
  const float offset =
      augmented ? SquaredNorm(query.data(), static_cast<int>(query.size())) +
                      max_norm2_
                : 0;
  std::vector<ScoredItem> result;
  result.reserve(wanted);
  for (int64_t i = 0; i < wanted; ++i) {
    if (labels[i] < 0) break;
    const float score = augmented ? 0.5f * (offset - scores[i]) : scores[i];
    result.push_back({static_cast<int32_t>(labels[i]), score});
  }
  return result;
}

absl::Status FaissItemIndex::SetSearchBreadth(int breadth) {
  if (breadth < 1) return absl::InvalidArgumentError("breadth must be >= 1");
  if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index_.get())) {
    hnsw->hnsw.efSearch = breadth;
    return absl::OkStatus();
  }
  if (auto* ivf = dynamic_cast<faiss::IndexIVF*>(index_.get())) {
    ivf->nprobe = std::min<size_t>(breadth, ivf->nlist);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("a flat index has no search breadth");
}

int64_t FaissItemIndex::memory_bytes() const {
  if (const auto* flat = dynamic_cast<const faiss::IndexFlat*>(index_.get())) {
    return static_cast<int64_t>(flat->codes.size());
  }
  if (const auto* hnsw = dynamic_cast<const faiss::IndexHNSW*>(index_.get())) {
    const faiss::HNSW& graph = hnsw->hnsw;
    int64_t bytes = graph.neighbors.size() * sizeof(graph.neighbors[0]) +
                    graph.offsets.size() * sizeof(graph.offsets[0]) +
                    graph.levels.size() * sizeof(graph.levels[0]) +
                    graph.assign_probas.size() * sizeof(double) +
                    graph.cum_nneighbor_per_level.size() * sizeof(int);
    if (const auto* storage =
            dynamic_cast<const faiss::IndexFlatCodes*>(hnsw->storage)) {
      bytes += static_cast<int64_t>(storage->codes.size());
    }
    return bytes;
  }
  if (const auto* ivf = dynamic_cast<const faiss::IndexIVF*>(index_.get())) {
    int64_t bytes = 0;
    for (size_t list = 0; list < ivf->nlist; ++list) {
      bytes += ivf->invlists->list_size(list) *
               (ivf->code_size + sizeof(faiss::Index::idx_t));
    }
    if (const auto* quantizer =
            dynamic_cast<const faiss::IndexFlatCodes*>(ivf->quantizer)) {
      bytes += static_cast<int64_t>(quantizer->codes.size());
    }
    return bytes;
  }
  return 0;
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
