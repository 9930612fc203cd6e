// Learned-ranker benchmarks: what the ranker adds to Recommend, stage by
// stage, on one snapshot with a ranker: gathering the candidates and their
// features, scoring them, and the whole Recommend with the ranker and
// without it (the same snapshot ranked by taste) in the same run.
//
//   bazel run //benchmarks:ranker_benchmark -- --model_dir=MODEL_DIR
//     the newest snapshot in MODEL_DIR, e.g. the sample shop's (./run.sh
//     demo trains one into .demo/models)
//   bazel run //benchmarks:ranker_benchmark
//     without --model_dir: a small generated shop with a ranker trained on
//     the spot (recommender/ranking/testing_ranked_shop.h)
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ltr/xgboost_ranker_model.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/snapshot_contents.h"
#include "recommender/ranking/recommend.h"
#include "recommender/ranking/testing_ranked_shop.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

std::string* g_model_dir = nullptr;

// The snapshot and its ranker's saved bytes.
struct Loaded {
  const ModelSnapshot* snapshot;
  std::string ranker_bytes;
};

const Loaded& Load() {
  static const Loaded* loaded = [] {
    if (g_model_dir == nullptr) {
      SnapshotContents contents = RankedTestShop();
      std::string bytes = contents.ranker_model;
      return new Loaded{
          ModelSnapshot::FromContents(std::move(contents))->release(),
          std::move(bytes)};
    }
    const std::vector<int64_t> versions =
        ListSnapshotVersions(*g_model_dir).value();
    const std::string dir =
        JoinPath(*g_model_dir, absl::StrCat(versions.back()));
    return new Loaded{ModelSnapshot::Load(dir)->release(),
                      ReadFileToString(JoinPath(dir, kRankerFile)).value()};
  }();
  return *loaded;
}

const ModelSnapshot& Snapshot() { return *Load().snapshot; }

// The snapshot's ranker scored through XGBoost's C API (the reference).
const RankerModel& CApiRanker() {
  static const RankerModel* model =
      LoadXgboostRankerCApi(Load().ranker_bytes, kNumRankingFeatures)
          ->release();
  return *model;
}

// Customers with a taste vector (the ranker's clients), in row order.
const std::vector<std::string>& Customers() {
  static const auto* customers = [] {
    const ModelSnapshot& snapshot = Snapshot();
    auto* ids = new std::vector<std::string>();
    for (int32_t row = 0; row < snapshot.num_customers(); ++row) {
      if (!snapshot.customer_vector(row).empty()) {
        ids->push_back(snapshot.customer(row).id());
      }
    }
    return ids;
  }();
  return *customers;
}

RecommendQuery Query(const std::string& customer_id) {
  RecommendQuery query;
  query.customer_id = customer_id;
  query.count = 10;
  return query;
}

// The candidate sets of the first customers, for the scoring benchmarks.
const std::vector<CandidateSet>& CandidateSets() {
  static const auto* sets = [] {
    const ModelSnapshot& snapshot = Snapshot();
    const CandidateOptions options = SnapshotCandidateOptions(snapshot);
    auto* out = new std::vector<CandidateSet>();
    for (size_t c = 0; c < Customers().size() && out->size() < 200; ++c) {
      out->push_back(
          RankerCandidates(snapshot, options, Query(Customers()[c])).value());
    }
    return out;
  }();
  return *sets;
}

// Candidates and their features: every source, the customer's history.
void BM_RankerCandidates(benchmark::State& state) {
  const ModelSnapshot& snapshot = Snapshot();
  const CandidateOptions options = SnapshotCandidateOptions(snapshot);
  size_t c = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<CandidateSet> set =
        RankerCandidates(snapshot, options, Query(Customers()[c]));
    rows += static_cast<int64_t>(set->items.size());
    benchmark::DoNotOptimize(set);
    c = (c + 7) % Customers().size();
  }
  state.counters["candidates"] = benchmark::Counter(
      static_cast<double>(rows), benchmark::Counter::kAvgIterations);
}

// One request's candidates scored; range(0): 0 through XGBoost's C API
// (XGBoosterPredictFromDense), 1 by the flat evaluator serving uses.
void BM_RankerScore(benchmark::State& state) {
  const RankerModel& model =
      state.range(0) == 0 ? CApiRanker() : *Snapshot().ranker();
  const std::vector<CandidateSet>& sets = CandidateSets();
  size_t s = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    absl::StatusOr<std::vector<float>> scores = model.Score(sets[s].features);
    rows += static_cast<int64_t>(scores->size());
    benchmark::DoNotOptimize(scores);
    s = (s + 1) % sets.size();
  }
  state.SetItemsProcessed(rows);
}

// The whole Recommend call in process; range(0): 0 without a ranker (the
// same snapshot ranked by taste and the repurchase stage), 1 with the
// snapshot's ranker as served (flat evaluator), 2 with it scored through
// XGBoost's C API.
void BM_Recommend(benchmark::State& state) {
  const ModelSnapshot& snapshot = Snapshot();
  LearnedRanking ranking = SnapshotRanking(snapshot);
  if (state.range(0) == 0) ranking.model = nullptr;
  if (state.range(0) == 2) ranking.model = &CApiRanker();
  size_t c = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        RecommendWithRanking(snapshot, ranking, Query(Customers()[c])));
    c = (c + 7) % Customers().size();
  }
  state.SetItemsProcessed(state.iterations());
}

// A hash of every customer's ranked list (ids, order, score bits,
// reasons) with `ranking`.
uint64_t ResultsFingerprint(const LearnedRanking& ranking) {
  const ModelSnapshot& snapshot = Snapshot();
  uint64_t hash = 1469598103934665603ull;  // FNV-1a.
  auto mix = [&hash](absl::string_view bytes) {
    for (const char c : bytes) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
  };
  for (const std::string& customer : Customers()) {
    absl::StatusOr<std::vector<Recommendation>> picks =
        RecommendWithRanking(snapshot, ranking, Query(customer));
    if (!picks.ok()) {
      mix(picks.status().ToString());
      continue;
    }
    for (const Recommendation& pick : *picks) {
      uint32_t bits = 0;
      std::memcpy(&bits, &pick.score, sizeof(bits));
      mix(absl::StrCat(snapshot.item(pick.item).id(), ":", bits, ":",
                       pick.reason_text, ";"));
    }
    mix("\n");
  }
  return hash;
}

// Prints the fingerprints of the served ranker and of the same model
// scored through XGBoost's C API: they must be equal, and a change to the
// ranking path that keeps the results keeps them.
void PrintResultsFingerprints() {
  LearnedRanking ranking = SnapshotRanking(Snapshot());
  const uint64_t served = ResultsFingerprint(ranking);
  ranking.model = &CApiRanker();
  const uint64_t reference = ResultsFingerprint(ranking);
  std::fprintf(stderr,
               "ranked lists of %zu customers: fingerprint %016llx served, "
               "%016llx through XGBoost's C API\n",
               Customers().size(), static_cast<unsigned long long>(served),
               static_cast<unsigned long long>(reference));
}

void Register() {
  PrintResultsFingerprints();
  benchmark::RegisterBenchmark("BM_RankerCandidates", BM_RankerCandidates)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_RankerScore", BM_RankerScore)
      ->ArgName("flat")
      ->Arg(0)
      ->Arg(1)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Recommend", BM_Recommend)
      ->ArgName("ranker")
      ->Arg(0)
      ->Arg(1)
      ->Arg(2)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(
      argc, argv,
      [](bool /*smoke: the generated snapshot is small already*/) {
        recommender::Register();
      },
      [](const char* arg) {
        constexpr char kFlag[] = "--model_dir=";
        if (std::strncmp(arg, kFlag, sizeof(kFlag) - 1) != 0) return false;
        recommender::g_model_dir = new std::string(arg + sizeof(kFlag) - 1);
        return true;
      });
}
