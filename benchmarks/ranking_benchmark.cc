// Ranking and snapshot benchmarks: Recommend and SimilarItems (search,
// filtering, durable exclusion, reasons) over an in-memory snapshot with
// the exact and the HNSW index, and the time to load a snapshot from disk.
//
//   bazel run //benchmarks:ranking_benchmark
//   bazel run //benchmarks:ranking_benchmark -- --scale=smoke
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/index/testing_vectors.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/snapshot_writer.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

constexpr int kDimension = 64;
constexpr int kCategories = 20;
constexpr int kPurchasesPerCustomer = 20;

int64_t g_items = 100000;
int64_t g_customers = 20000;

std::string ItemId(int64_t i) { return absl::StrFormat("P%07d", i); }
std::string CustomerId(int64_t c) { return absl::StrFormat("C%07d", c); }

// A shop of g_items items in 20 categories (half durable), g_customers
// customers with taste vectors and 20 purchases each.
SnapshotContents MakeContents(IndexKind kind) {
  const EmbeddingMatrix vectors =
      ClusteredVectors(g_items + g_customers, kDimension, 1000, 99);
  TestSnapshotBuilder builder(kDimension);
  for (int64_t i = 0; i < g_items; ++i) {
    const auto row = vectors.row(i);
    builder.AddItem(ItemId(i), absl::StrCat("category/", i % kCategories),
                    std::vector<float>(row.begin(), row.end()),
                    i % 2 == 0 ? snapshot::DURABLE : snapshot::CONSUMABLE,
                    /*price=*/1000 + (i * 37) % 9000,
                    /*recent_purchases=*/static_cast<int32_t>(i % 50),
                    /*in_stock=*/i % 10 != 0);
  }
  for (int64_t c = 0; c < g_customers; ++c) {
    const auto row = vectors.row(g_items + c);
    std::vector<std::pair<std::string, int64_t>> purchases;
    for (int p = 0; p < kPurchasesPerCustomer; ++p) {
      purchases.emplace_back(ItemId((c * 7919 + p * 104729) % g_items),
                             1700000000 + p * 86400);
    }
    builder.AddCustomer(CustomerId(c), std::vector<float>(row.begin(), row.end()),
                        std::move(purchases));
  }
  SnapshotContents contents = builder.Build();
  IndexOptions options;
  options.kind = kind;
  contents.index = std::move(BuildItemIndex(contents.item_factors, options)).value();
  contents.manifest.set_index_type(contents.index->type());
  return contents;
}

const ModelSnapshot& GetSnapshot(IndexKind kind) {
  static auto* cache =
      new std::map<IndexKind, std::unique_ptr<const ModelSnapshot>>();
  auto it = cache->find(kind);
  if (it == cache->end()) {
    it = cache
             ->emplace(kind, std::move(ModelSnapshot::FromContents(
                                           MakeContents(kind)))
                                 .value())
             .first;
  }
  return *it->second;
}

IndexKind KindOf(int64_t arg) {
  return arg == 0 ? IndexKind::kExact : IndexKind::kHnsw;
}

// range(0): 0 exact, 1 HNSW; range(1): 1 to add a filter (one category of
// 20, in stock, price cap: ~2% of items pass).
void BM_Recommend(benchmark::State& state) {
  const ModelSnapshot& snapshot = GetSnapshot(KindOf(state.range(0)));
  RecommendQuery query;
  query.count = 10;
  if (state.range(1) != 0) {
    query.filter.include_categories = {"category/3"};
    query.filter.in_stock_only = true;
    query.filter.max_price = 5000;
  }
  int64_t c = 0;
  for (auto _ : state) {
    query.customer_id = CustomerId(c);
    benchmark::DoNotOptimize(Recommend(snapshot, query));
    c = (c + 7) % g_customers;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SimilarItems(benchmark::State& state) {
  const ModelSnapshot& snapshot = GetSnapshot(KindOf(state.range(0)));
  SimilarItemsQuery query;
  query.count = 10;
  int64_t i = 0;
  for (auto _ : state) {
    query.item_id = ItemId(i);
    benchmark::DoNotOptimize(SimilarItems(snapshot, query));
    i = (i + 7919) % g_items;
  }
  state.SetItemsProcessed(state.iterations());
}

// Reads and verifies a snapshot written once to a temporary folder.
void BM_SnapshotLoad(benchmark::State& state) {
  static std::string* dir = nullptr;
  if (dir == nullptr) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    const std::string root =
        JoinPath(tmp != nullptr ? tmp : "/tmp",
                 absl::StrCat("ranking_benchmark_", ::getpid()));
    RemoveAll(root).IgnoreError();
    SnapshotContents contents = MakeContents(KindOf(state.range(0)));
    dir = new std::string(WriteSnapshot(contents, root).value());
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(ModelSnapshot::Load(*dir));
  }
  state.counters["items"] = static_cast<double>(g_items);
  state.counters["customers"] = static_cast<double>(g_customers);
}

void Register() {
  for (int64_t kind : {0, 1}) {
    benchmark::RegisterBenchmark("BM_Recommend", BM_Recommend)
        ->Args({kind, 0})
        ->Args({kind, 1})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_SimilarItems", BM_SimilarItems)
        ->Args({kind})
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_SnapshotLoad", BM_SnapshotLoad)
      ->Args({1})
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(argc, argv, [](bool smoke) {
    if (smoke) {
      recommender::g_items = 2000;
      recommender::g_customers = 500;
    }
    recommender::Register();
  });
}
