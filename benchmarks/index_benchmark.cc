// Item index microbenchmarks: time per query and recall@10 of FAISS flat,
// our AVX2 exact scan (single and batched), HNSW (over float vectors, and
// over float16 or int8 codes with float re-ranking) and IVF, next to the
// single-core memory read bandwidth measured in the same run; 1 vs 2
// threads searching at once.
//
//   bazel run //benchmarks:index_benchmark             # 100k and 1M items
//   bazel run //benchmarks:index_benchmark -- --scale=smoke
//
// Vectors are synthetic but shaped like learned embeddings (1000 taste
// clusters, log-normal norms; recommender/index/testing_vectors.h); the
// queries come from the same distribution. With --snapshot=DIR the item
// vectors of a trained snapshot are used instead, and 1000 of its customer
// vectors (evenly spaced) as queries. Recall is measured against the exact
// scan in this process.
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/embedding/embedding_matrix.h"
#include "recommender/index/compact_flat_storage.h"
#include "recommender/index/exact_item_index.h"
#include "recommender/index/faiss_item_index.h"
#include "recommender/index/hnsw_search.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/index/testing_vectors.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

constexpr int kK = 10;
constexpr int kQueries = 1000;
constexpr int kClusters = 1000;

// Set by --snapshot: real item and query vectors.
EmbeddingMatrix* g_snapshot_items = nullptr;
EmbeddingMatrix* g_snapshot_queries = nullptr;

void LoadSnapshotVectors(const std::string& dir) {
  auto read = [&](const char* name) {
    const std::string path = dir + "/" + name;
    absl::StatusOr<std::string> bytes = ReadFileToString(path);
    if (!bytes.ok()) {
      std::cerr << bytes.status() << "\n";
      std::exit(2);
    }
    absl::StatusOr<EmbeddingMatrix> m = ParseEmbeddings(*bytes, path);
    if (!m.ok()) {
      std::cerr << m.status() << "\n";
      std::exit(2);
    }
    return *std::move(m);
  };
  g_snapshot_items = new EmbeddingMatrix(read("item_factors.emb"));
  const EmbeddingMatrix customers = read("customer_factors.emb");
  g_snapshot_queries = new EmbeddingMatrix;
  g_snapshot_queries->dimension = customers.dimension;
  for (int q = 0; q < kQueries; ++q) {
    const auto row = customers.row(q * customers.rows / kQueries);
    g_snapshot_queries->values.insert(g_snapshot_queries->values.end(),
                                      row.begin(), row.end());
  }
  g_snapshot_queries->rows = kQueries;
}

// Items and queries of one size, built once per process.
struct Dataset {
  EmbeddingMatrix items;
  EmbeddingMatrix queries;
  std::unique_ptr<ExactItemIndex> exact;
  std::vector<std::vector<ScoredItem>> truth;  // Exact top 10 per query.
};

const Dataset& GetDataset(int64_t n, int d) {
  static auto* mu = new std::mutex();
  std::lock_guard<std::mutex> lock(*mu);
  static auto* cache = new std::map<std::pair<int64_t, int>, Dataset>();
  auto it = cache->find({n, d});
  if (it != cache->end()) return it->second;
  Dataset& data = (*cache)[{n, d}];
  if (g_snapshot_items != nullptr) {
    data.items = *g_snapshot_items;
    data.queries = *g_snapshot_queries;
    data.exact = std::move(ExactItemIndex::Build(data.items)).value();
    data.truth = data.exact->SearchBatch(data.queries.values, kK).value();
    return data;
  }
  EmbeddingMatrix all = ClusteredVectors(n + kQueries, d, kClusters, 20261123);
  data.items.rows = n;
  data.items.dimension = d;
  data.items.values.assign(all.values.begin(), all.values.begin() + n * d);
  data.queries.rows = kQueries;
  data.queries.dimension = d;
  data.queries.values.assign(all.values.begin() + n * d, all.values.end());
  data.exact = std::move(ExactItemIndex::Build(data.items)).value();
  data.truth = data.exact->SearchBatch(data.queries.values, kK).value();
  return data;
}

double Recall(const ItemIndex& index, const Dataset& data) {
  int64_t found = 0;
  for (int q = 0; q < kQueries; ++q) {
    const std::vector<ScoredItem> got =
        index.Search(data.queries.row(q), kK).value();
    for (const ScoredItem& t : data.truth[q]) {
      for (const ScoredItem& g : got) found += g.item == t.item;
    }
  }
  return static_cast<double>(found) / (kQueries * kK);
}

// Sums a buffer larger than any cache with AVX2 loads: the single-core
// memory read bandwidth, the bound of a one-query scan.
void BM_MemoryReadBandwidth(benchmark::State& state) {
  const size_t floats = static_cast<size_t>(state.range(0)) / sizeof(float);
  float* buffer = static_cast<float*>(std::aligned_alloc(64, floats * 4));
  for (size_t i = 0; i < floats; ++i) buffer[i] = 1.0f;
  for (auto _ : state) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (size_t i = 0; i + 32 <= floats; i += 32) {
      a0 = _mm256_add_ps(a0, _mm256_load_ps(buffer + i));
      a1 = _mm256_add_ps(a1, _mm256_load_ps(buffer + i + 8));
      a2 = _mm256_add_ps(a2, _mm256_load_ps(buffer + i + 16));
      a3 = _mm256_add_ps(a3, _mm256_load_ps(buffer + i + 24));
    }
    __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * floats * sizeof(float));
  std::free(buffer);
}

// 256-bit FMAs on registers only, 12 independent chains (enough to cover
// the FMA latency on both pipes): one core's float multiply-add peak, the
// bound of a batched scan, which reuses every loaded item vector for many
// queries. Counts 16 FLOPs per FMA (8 lanes, multiply and add).
void BM_FmaPeak(benchmark::State& state) {
  constexpr int kChains = 12;
  constexpr int64_t kRounds = 1 << 20;
  const __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(0.0001f);
  // Named accumulators, not an array, so that they stay in registers; all
  // different, so that no two chains are the same computation.
  auto start = [](int c) { return _mm256_set1_ps(0.01f * (c + 1)); };
  __m256 a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3);
  __m256 a4 = start(4), a5 = start(5), a6 = start(6), a7 = start(7);
  __m256 a8 = start(8), a9 = start(9), a10 = start(10), a11 = start(11);
  for (auto _ : state) {
    for (int64_t r = 0; r < kRounds; ++r) {
      a0 = _mm256_fmadd_ps(a0, x, y);
      a1 = _mm256_fmadd_ps(a1, x, y);
      a2 = _mm256_fmadd_ps(a2, x, y);
      a3 = _mm256_fmadd_ps(a3, x, y);
      a4 = _mm256_fmadd_ps(a4, x, y);
      a5 = _mm256_fmadd_ps(a5, x, y);
      a6 = _mm256_fmadd_ps(a6, x, y);
      a7 = _mm256_fmadd_ps(a7, x, y);
      a8 = _mm256_fmadd_ps(a8, x, y);
      a9 = _mm256_fmadd_ps(a9, x, y);
      a10 = _mm256_fmadd_ps(a10, x, y);
      a11 = _mm256_fmadd_ps(a11, x, y);
    }
    benchmark::DoNotOptimize(a0);
    benchmark::DoNotOptimize(a1);
    benchmark::DoNotOptimize(a2);
    benchmark::DoNotOptimize(a3);
    benchmark::DoNotOptimize(a4);
    benchmark::DoNotOptimize(a5);
    benchmark::DoNotOptimize(a6);
    benchmark::DoNotOptimize(a7);
    benchmark::DoNotOptimize(a8);
    benchmark::DoNotOptimize(a9);
    benchmark::DoNotOptimize(a10);
    benchmark::DoNotOptimize(a11);
  }
  const __m256 sum = _mm256_add_ps(
      _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                    _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7))),
      _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  benchmark::DoNotOptimize(sum);
  state.counters["GFLOPS"] = benchmark::Counter(
      16.0 * kChains * kRounds * state.iterations() / 1e9,
      benchmark::Counter::kIsRate);
}

// faiss::IndexFlatIP::search of one query, as Debian builds FAISS (SSE).
// range(2): OpenMP threads inside FAISS (1, or 0 for FAISS's default).
void BM_FaissFlat(benchmark::State& state) {
  const Dataset& data = GetDataset(state.range(0), state.range(1));
  faiss::IndexFlatIP index(data.items.dimension);
  index.add(data.items.rows, data.items.values.data());
  const int threads = static_cast<int>(state.range(2));
  const int previous = omp_get_max_threads();
  if (threads > 0) omp_set_num_threads(threads);
  std::vector<float> scores(kK);
  std::vector<faiss::Index::idx_t> labels(kK);
  int q = 0;
  for (auto _ : state) {
    index.search(1, data.queries.row(q).data(), kK, scores.data(),
                 labels.data());
    q = (q + 1) % kQueries;
  }
  omp_set_num_threads(previous);
  state.SetBytesProcessed(state.iterations() * data.items.rows *
                          data.items.dimension * sizeof(float));
}

// ExactItemIndex::Search of one query.
void BM_ExactScan(benchmark::State& state) {
  const Dataset& data = GetDataset(state.range(0), state.range(1));
  int q = static_cast<int>(state.thread_index()) * 97 % kQueries;
  for (auto _ : state) {
    benchmark::DoNotOptimize(data.exact->Search(data.queries.row(q), kK));
    q = (q + 1) % kQueries;
  }
  state.SetBytesProcessed(state.iterations() * data.items.rows *
                          data.items.dimension * sizeof(float));
  state.SetItemsProcessed(state.iterations());
}

// ExactItemIndex::SearchBatch of range(2) queries; items = queries.
void BM_ExactBatch(benchmark::State& state) {
  const Dataset& data = GetDataset(state.range(0), state.range(1));
  const int batch = static_cast<int>(state.range(2));
  const absl::Span<const float> queries(data.queries.values.data(),
                                        static_cast<size_t>(batch) *
                                            data.items.dimension);
  for (auto _ : state) {
    benchmark::DoNotOptimize(data.exact->SearchBatch(queries, kK));
  }
  state.SetItemsProcessed(state.iterations() * batch);
  // Next to BM_FmaPeak: the batched scan is bound by multiply-adds.
  state.counters["GFLOPS"] = benchmark::Counter(
      2.0 * data.items.rows * data.items.dimension * batch * state.iterations() /
          1e9,
      benchmark::Counter::kIsRate);
}

// Approximate indexes, built once per (kind, size, transform); the search
// breadth (efSearch or nprobe) is set per benchmark, and recall measured
// for it.
FaissItemIndex& GetApproximate(IndexKind kind, int64_t n, int d, int breadth,
                               bool transform, double* recall) {
  static auto* cache = new std::map<std::tuple<IndexKind, int64_t, int, bool>,
                                    std::unique_ptr<FaissItemIndex>>();
  static auto* recalls =
      new std::map<std::tuple<IndexKind, int64_t, int, bool, int>, double>();
  const Dataset& data = GetDataset(n, d);
  auto it = cache->find({kind, n, d, transform});
  if (it == cache->end()) {
    std::unique_ptr<FaissItemIndex> index;
    if (kind == IndexKind::kHnsw) {
      HnswOptions options;
      options.m = 16;
      options.ef_construction = 100;
      options.mips_transform = transform;
      index = std::move(FaissItemIndex::BuildHnsw(data.items, options)).value();
    } else {
      IvfOptions options;
      options.mips_transform = transform;
      index = std::move(FaissItemIndex::BuildIvf(data.items, options)).value();
    }
    it = cache->emplace(std::make_tuple(kind, n, d, transform), std::move(index))
             .first;
  }
  FaissItemIndex& index = *it->second;
  if (!index.SetSearchBreadth(breadth).ok()) std::abort();
  auto r = recalls->find({kind, n, d, transform, breadth});
  if (r == recalls->end()) {
    r = recalls->emplace(std::make_tuple(kind, n, d, transform, breadth),
                         Recall(index, data))
            .first;
  }
  *recall = r->second;
  return index;
}

// range: items, dimension, ef_search (HNSW) or nprobe (IVF), and 1 to
// search augmented vectors by L2 (mips_transform), 0 by inner product.
template <IndexKind kKind>
void BM_Approximate(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int d = static_cast<int>(state.range(1));
  double recall = 0;
  // Every thread sets up under a lock; searches start after all have (the
  // benchmark loop begins with a barrier).
  static std::mutex* setup = new std::mutex();
  std::unique_lock<std::mutex> lock(*setup);
  const ItemIndex& index =
      GetApproximate(kKind, n, d, static_cast<int>(state.range(2)),
                     state.range(3) != 0, &recall);
  lock.unlock();
  const Dataset& data = GetDataset(n, d);
  int q = static_cast<int>(state.thread_index()) * 97 % kQueries;
  for (auto _ : state) {
    benchmark::DoNotOptimize(index.Search(data.queries.row(q), kK));
    q = (q + 1) % kQueries;
  }
  state.SetItemsProcessed(state.iterations());

  // Per index, not summed over threads.
  state.counters["recall_at_10"] =
      benchmark::Counter(recall, benchmark::Counter::kAvgThreads);
  const double raw = static_cast<double>(n) * d * sizeof(float);
  state.counters["memory_x_raw"] = benchmark::Counter(
      index.memory_bytes() / raw, benchmark::Counter::kAvgThreads);
}

// HNSW over compact vectors (recommender/index/compact_flat_storage.h):
// the graph search returns range(3) x 10 candidates by their approximate
// scores, re-ranked by the float vectors. Built as BM_Hnsw's graphs are
// (M 16, efConstruction 100). range: items, dimension, efSearch (widened
// to the candidates wanted, as FAISS does), re-rank factor, and the code
// (0 float16, 1 int8).
struct CompactHnsw {
  std::unique_ptr<faiss::IndexHNSW> index;
  std::map<std::pair<int, int>, double> recalls;  // (ef, factor) -> recall.
};

// Searched as FaissItemIndex searches its HNSW graphs: one query, no
// OpenMP, a visited table reused across searches (here: one per thread).
std::vector<ScoredItem> SearchCompact(const faiss::IndexHNSW& index,
                                      const EmbeddingMatrix& items,
                                      const float* query, int wide) {
  thread_local std::unique_ptr<faiss::VisitedTable> visited;
  if (visited == nullptr ||
      static_cast<int64_t>(visited->visited.size()) != index.ntotal) {
    visited = std::make_unique<faiss::VisitedTable>(index.ntotal);
  }
  std::vector<float> scores(wide);
  std::vector<faiss::Index::idx_t> ids(wide);
  SearchHnswGraph(index, query, wide, *visited, scores.data(), ids.data());
  std::vector<ScoredItem> reranked;
  reranked.reserve(wide);
  for (faiss::Index::idx_t id : ids) {
    if (id < 0) break;  // Fewer found than asked.
    const float* v = items.values.data() + id * items.dimension;
    float dot = 0;
    for (int j = 0; j < items.dimension; ++j) dot += query[j] * v[j];
    reranked.push_back({static_cast<int32_t>(id), dot});
  }
  const size_t keep = std::min<size_t>(kK, reranked.size());
  std::partial_sort(reranked.begin(), reranked.begin() + keep, reranked.end(),
                    [](const ScoredItem& a, const ScoredItem& b) {
                      return a.score > b.score;
                    });
  reranked.resize(keep);
  return reranked;
}

void BM_HnswCompact(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int d = static_cast<int>(state.range(1));
  const int ef = static_cast<int>(state.range(2));
  const int factor = static_cast<int>(state.range(3));
  const CompactCode code =
      state.range(4) == 0 ? CompactCode::kFloat16 : CompactCode::kInt8;
  static auto* cache =
      new std::map<std::tuple<int64_t, int, CompactCode>, CompactHnsw>();
  const Dataset& data = GetDataset(n, d);
  CompactHnsw& built = (*cache)[{n, d, code}];
  if (built.index == nullptr) {
    built.index =
        std::make_unique<faiss::IndexHNSW>(new CompactFlatStorage(d, code), 16);
    built.index->own_fields = true;
    built.index->hnsw.efConstruction = 100;
    built.index->add(n, data.items.values.data());
  }
  faiss::IndexHNSW& index = *built.index;
  omp_set_num_threads(1);
  const int wide = kK * factor;
  index.hnsw.efSearch = std::max(ef, wide);
  auto recall = built.recalls.find({ef, factor});
  if (recall == built.recalls.end()) {
    int64_t found = 0;
    for (int q = 0; q < kQueries; ++q) {
      const std::vector<ScoredItem> got =
          SearchCompact(index, data.items, data.queries.row(q).data(), wide);
      for (const ScoredItem& t : data.truth[q]) {
        for (const ScoredItem& g : got) found += g.item == t.item;
      }
    }
    recall = built.recalls
                 .emplace(std::make_pair(ef, factor),
                          static_cast<double>(found) / (kQueries * kK))
                 .first;
  }
  int q = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        SearchCompact(index, data.items, data.queries.row(q).data(), wide));
    q = (q + 1) % kQueries;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["recall_at_10"] = recall->second;
  const double raw = static_cast<double>(n) * d * sizeof(float);
  const auto* storage =
      dynamic_cast<const faiss::IndexFlatCodes*>(index.storage);
  const faiss::HNSW& graph = index.hnsw;
  const double graph_bytes =
      graph.neighbors.size() * sizeof(graph.neighbors[0]) +
      graph.offsets.size() * sizeof(graph.offsets[0]) +
      graph.levels.size() * sizeof(graph.levels[0]);
  // The compact index itself; re-ranking also reads the float vectors the
  // snapshot holds anyway.
  state.counters["memory_x_raw"] = (storage->codes.size() + graph_bytes) / raw;
}

void Register(bool smoke) {
  std::vector<int64_t> sizes =
      smoke ? std::vector<int64_t>{2000} : std::vector<int64_t>{100000, 1000000};
  std::vector<int64_t> dims =
      smoke ? std::vector<int64_t>{16} : std::vector<int64_t>{64, 128};
  if (g_snapshot_items != nullptr) {
    sizes = {g_snapshot_items->rows};
    dims = {g_snapshot_items->dimension};
  }
  benchmark::RegisterBenchmark("BM_MemoryReadBandwidth", BM_MemoryReadBandwidth)
      ->Arg(smoke ? (1 << 20) : (512 << 20))
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_FmaPeak", BM_FmaPeak)
      ->Unit(benchmark::kMillisecond);
  for (int64_t n : sizes) {
    for (int64_t d : dims) {
      benchmark::RegisterBenchmark("BM_FaissFlat", BM_FaissFlat)
          ->Args({n, d, 1})
          ->Args({n, d, 0})
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark("BM_ExactScan", BM_ExactScan)
          ->Args({n, d})
          ->Threads(1)
          ->Threads(2)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark("BM_ExactBatch", BM_ExactBatch)
          ->Args({n, d, 64})
          ->Args({n, d, 256})
          ->Unit(benchmark::kMicrosecond);
      // The L2-transform variants only below 1M items (they lose; see
      // README), to keep the full run within minutes.
      const std::vector<int64_t> transforms =
          n < 1000000 ? std::vector<int64_t>{0, 1} : std::vector<int64_t>{0};
      for (int64_t transform : transforms) {
        for (int64_t ef : {16, 24, 32, 48, 64, 128, 256}) {
          benchmark::RegisterBenchmark("BM_Hnsw",
                                       BM_Approximate<IndexKind::kHnsw>)
              ->Args({n, d, ef, transform})
              ->Unit(benchmark::kMicrosecond);
        }
        for (int64_t nprobe : {4, 8, 16, 32, 64}) {
          benchmark::RegisterBenchmark("BM_Ivf", BM_Approximate<IndexKind::kIvf>)
              ->Args({n, d, nprobe, transform})
              ->Unit(benchmark::kMicrosecond);
        }
      }
      for (int64_t code : {0, 1}) {
        for (int64_t ef : {16, 32, 64}) {
          for (int64_t factor : {1, 2, 4}) {
            benchmark::RegisterBenchmark("BM_HnswCompact", BM_HnswCompact)
                ->Args({n, d, ef, factor, code})
                ->Unit(benchmark::kMicrosecond);
          }
        }
      }
      benchmark::RegisterBenchmark("BM_Hnsw", BM_Approximate<IndexKind::kHnsw>)
          ->Args({n, d, 128, 0})
          ->Threads(1)
          ->Threads(2)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(
      argc, argv, recommender::Register, [](const char* arg) {
        if (std::strncmp(arg, "--snapshot=", 11) != 0) return false;
        recommender::LoadSnapshotVectors(arg + 11);
        return true;
      });
}
