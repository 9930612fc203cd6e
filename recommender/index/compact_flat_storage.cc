#include "recommender/index/compact_flat_storage.h"

#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissAssert.h>
#include <faiss/utils/Heap.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace recommender {
namespace {

constexpr int kInt8Levels = 255;

float HorizontalSum(__m256 v) {
  const __m128 sum4 =
      _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 sum2 = _mm_add_ps(sum4, _mm_movehl_ps(sum4, sum4));
  return _mm_cvtss_f32(_mm_add_ss(sum2, _mm_shuffle_ps(sum2, sum2, 1)));
}

// Eight codes of `code` at `j`, as floats.
inline __m256 LoadFloat16(const uint8_t* code, size_t j) {
  return _mm256_cvtph_ps(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + 2 * j)));
}

inline __m256 LoadInt8(const uint8_t* code, size_t j) {
  return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(code + j))));
}

// query . code, where a code's j-th value is read by `load` (8 at a time)
// or `scalar` (the tail).
template <typename Load, typename Scalar>
float DotWithCode(const float* query, const uint8_t* code, size_t d, Load load,
                  Scalar scalar) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t j = 0;
  for (; j + 16 <= d; j += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + j), load(code, j), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(query + j + 8), load(code, j + 8), s1);
  }
  for (; j + 8 <= d; j += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + j), load(code, j), s0);
  }
  float sum = HorizontalSum(_mm256_add_ps(s0, s1));
  for (; j < d; ++j) sum += query[j] * scalar(code, j);
  return sum;
}

float Float16ToFloat(const uint8_t* code, size_t j) {
  uint16_t half;
  std::memcpy(&half, code + 2 * j, sizeof(half));
  return _cvtsh_ss(half);
}

// Inner products of a float query with compact codes. For int8 the query
// is folded into the codes' scale once per query:
//   q . v = sum_j q_j offset_j + sum_j (q_j step_j) c_j.
class CompactDistanceComputer : public faiss::FlatCodesDistanceComputer {
 public:
  explicit CompactDistanceComputer(const CompactFlatStorage& storage)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(),
                                         storage.code_size),
        storage_(storage),
        d_(storage.d),
        scaled_query_(storage.d),
        decoded_(storage.d) {}

  void set_query(const float* x) override {
    if (storage_.code == CompactCode::kFloat16) {
      std::copy(x, x + d_, scaled_query_.begin());
      bias_ = 0;
      return;
    }
    bias_ = 0;
    for (size_t j = 0; j < d_; ++j) {
      bias_ += x[j] * storage_.offset[j];
      scaled_query_[j] = x[j] * storage_.step[j];
    }
  }

  float distance_to_code(const uint8_t* code) override {
    return bias_ + Dot(scaled_query_.data(), code);
  }

  float symmetric_dis(faiss::Index::idx_t i, faiss::Index::idx_t j) override {
    storage_.sa_decode(1, codes + i * code_size, decoded_.data());
    if (storage_.code == CompactCode::kFloat16) {
      return Dot(decoded_.data(), codes + j * code_size);
    }
    float bias = 0;
    std::vector<float>& scaled = scratch_;
    scaled.resize(d_);
    for (size_t k = 0; k < d_; ++k) {
      bias += decoded_[k] * storage_.offset[k];
      scaled[k] = decoded_[k] * storage_.step[k];
    }
    return bias + Dot(scaled.data(), codes + j * code_size);
  }

 private:
  float Dot(const float* query, const uint8_t* code) const {
    if (storage_.code == CompactCode::kFloat16) {
      return DotWithCode(query, code, d_, LoadFloat16, Float16ToFloat);
    }
    return DotWithCode(
        query, code, d_, LoadInt8,
        [](const uint8_t* c, size_t j) { return static_cast<float>(c[j]); });
  }

  const CompactFlatStorage& storage_;
  size_t d_;
  std::vector<float> scaled_query_;
  float bias_ = 0;
  std::vector<float> decoded_;
  std::vector<float> scratch_;
};

}  // namespace

std::string CompactCodeName(CompactCode code) {
  return code == CompactCode::kFloat16 ? "float16" : "int8";
}

CompactFlatStorage::CompactFlatStorage(faiss::Index::idx_t d, CompactCode code)
    : faiss::IndexFlatCodes(code == CompactCode::kFloat16 ? 2 * d : d, d,
                            faiss::METRIC_INNER_PRODUCT),
      code(code) {
  is_trained = true;
}

void CompactFlatStorage::add(faiss::Index::idx_t n, const float* x) {
  if (code == CompactCode::kInt8 && offset.empty() && n > 0) {
    std::vector<float> low(d, std::numeric_limits<float>::max());
    std::vector<float> high(d, std::numeric_limits<float>::lowest());
    for (faiss::Index::idx_t i = 0; i < n; ++i) {
      for (int j = 0; j < d; ++j) {
        low[j] = std::min(low[j], x[i * d + j]);
        high[j] = std::max(high[j], x[i * d + j]);
      }
    }
    offset = low;
    step.resize(d);
    for (int j = 0; j < d; ++j) {
      step[j] = high[j] > low[j] ? (high[j] - low[j]) / kInt8Levels : 1.0f;
    }
  }
  faiss::IndexFlatCodes::add(n, x);
}

void CompactFlatStorage::sa_encode(faiss::Index::idx_t n, const float* x,
                                   uint8_t* bytes) const {
  for (faiss::Index::idx_t i = 0; i < n; ++i) {
    const float* v = x + i * d;
    uint8_t* out = bytes + i * code_size;
    for (int j = 0; j < d; ++j) {
      if (code == CompactCode::kFloat16) {
        const uint16_t half = _cvtss_sh(v[j], _MM_FROUND_TO_NEAREST_INT);
        std::memcpy(out + 2 * j, &half, sizeof(half));
      } else {
        const float level = std::round((v[j] - offset[j]) / step[j]);
        out[j] = static_cast<uint8_t>(std::clamp(level, 0.0f, 255.0f));
      }
    }
  }
}

void CompactFlatStorage::sa_decode(faiss::Index::idx_t n, const uint8_t* bytes,
                                   float* x) const {
  for (faiss::Index::idx_t i = 0; i < n; ++i) {
    const uint8_t* in = bytes + i * code_size;
    float* v = x + i * d;
    for (int j = 0; j < d; ++j) {
      v[j] = code == CompactCode::kFloat16 ? Float16ToFloat(in, j)
                                           : offset[j] + step[j] * in[j];
    }
  }
}

void CompactFlatStorage::search(faiss::Index::idx_t n, const float* x,
                                faiss::Index::idx_t k, float* distances,
                                faiss::Index::idx_t* labels,
                                const faiss::SearchParameters*) const {
  std::unique_ptr<faiss::FlatCodesDistanceComputer> computer(
      get_FlatCodesDistanceComputer());
  for (faiss::Index::idx_t q = 0; q < n; ++q) {
    float* scores = distances + q * k;
    faiss::Index::idx_t* ids = labels + q * k;
    faiss::minheap_heapify(k, scores, ids);
    computer->set_query(x + q * d);
    for (faiss::Index::idx_t i = 0; i < ntotal; ++i) {
      const float score = (*computer)(i);
      if (score > scores[0])
        faiss::minheap_replace_top(k, scores, ids, score, i);
    }
    faiss::minheap_reorder(k, scores, ids);
  }
}

faiss::FlatCodesDistanceComputer*
CompactFlatStorage::get_FlatCodesDistanceComputer() const {
  return new CompactDistanceComputer(*this);
}

}  // namespace recommender
