#include "recommender/index/avx2_flat_storage.h"

#include <faiss/impl/FaissAssert.h>
#include <immintrin.h>

#include <utility>

namespace recommender {
namespace {

float HorizontalSum(__m256 v) {
  const __m128 sum4 =
      _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 sum2 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));
  return _mm_cvtss_f32(_mm_add_ss(sum2, _mm_shuffle_ps(sum2, sum2, 1)));
}

float Dot(const float* a, const float* b, size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= d; j += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8),
                         _mm256_loadu_ps(b + j + 8), s1);
  }
  for (; j + 8 <= d; j += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);
  }
  float sum = HorizontalSum(_mm256_add_ps(s0, s1));
  for (; j < d; ++j) sum += a[j] * b[j];
  return sum;
}

float SquaredDistance(const float* a, const float* b, size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= d; j += 16) {
    const __m256 x0 = _mm256_sub_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j));
    const __m256 x1 =
        _mm256_sub_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8));
    s0 = _mm256_fmadd_ps(x0, x0, s0);
    s1 = _mm256_fmadd_ps(x1, x1, s1);
  }
  for (; j + 8 <= d; j += 8) {
    const __m256 x0 = _mm256_sub_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j));
    s0 = _mm256_fmadd_ps(x0, x0, s0);
  }
  float sum = HorizontalSum(_mm256_add_ps(s0, s1));
  for (; j < d; ++j) sum += (a[j] - b[j]) * (a[j] - b[j]);
  return sum;
}

// Inner product (a similarity) or squared L2 distance, as FAISS's own flat
// distance computers return them for the metric.
class Avx2DistanceComputer : public faiss::FlatCodesDistanceComputer {
 public:
  explicit Avx2DistanceComputer(const faiss::IndexFlat& storage)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(),
                                         storage.code_size),
        base_(reinterpret_cast<const float*>(storage.codes.data())),
        d_(storage.d),
        inner_product_(storage.metric_type == faiss::METRIC_INNER_PRODUCT) {}

  void set_query(const float* x) override { query_ = x; }

  float distance_to_code(const uint8_t* code) override {
    return Distance(query_, reinterpret_cast<const float*>(code));
  }

  float symmetric_dis(faiss::Index::idx_t i, faiss::Index::idx_t j) override {
    return Distance(base_ + i * d_, base_ + j * d_);
  }

 private:
  float Distance(const float* a, const float* b) const {
    return inner_product_ ? Dot(a, b, d_) : SquaredDistance(a, b, d_);
  }

  const float* base_;
  size_t d_;
  bool inner_product_;
  const float* query_ = nullptr;
};

}  // namespace

faiss::FlatCodesDistanceComputer*
Avx2FlatStorage::get_FlatCodesDistanceComputer() const {
  return new Avx2DistanceComputer(*this);
}

void UseAvx2Storage(faiss::IndexHNSW& index) {
  if (dynamic_cast<Avx2FlatStorage*>(index.storage) != nullptr) return;
  auto* flat = dynamic_cast<faiss::IndexFlat*>(index.storage);
  FAISS_THROW_IF_NOT_MSG(flat != nullptr, "HNSW storage is not flat");
  auto* replacement = new Avx2FlatStorage(flat->d, flat->metric_type);
  replacement->codes = std::move(flat->codes);
  replacement->ntotal = flat->ntotal;
  if (index.own_fields) delete index.storage;
  index.storage = replacement;
  index.own_fields = true;
}

}  // namespace recommender
