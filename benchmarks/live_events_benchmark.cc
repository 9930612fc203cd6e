// Live-event benchmarks: the event log's durable ingest rate (events/s with
// fdatasync, group commit under concurrent writers; without fsync as the
// ceiling), the cost of one fold-in, and campaign batch throughput
// (customers/s through the same per-customer path BatchRecommend takes,
// with and without live events to fold in).
//
//   bazel run //benchmarks:live_events_benchmark
//   bazel run //benchmarks:live_events_benchmark -- --scale=smoke
//
// The event log goes to $EVENT_LOG_BENCHMARK_DIR (default: a folder under
// $TEST_TMPDIR or /tmp) — put it on the disk the server would use.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/index/item_index_factory.h"
#include "recommender/index/testing_vectors.h"
#include "recommender/live/fold_in.h"
#include "recommender/live/live_context.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/model/test_snapshot_builder.h"
#include "recommender/util/file_util.h"

namespace recommender {
namespace {

constexpr int kDimension = 64;
constexpr int kPurchasesPerCustomer = 20;

int64_t g_items = 20000;
int64_t g_customers = 20000;

std::string ItemId(int64_t i) { return absl::StrFormat("P%07d", i); }
std::string CustomerId(int64_t c) { return absl::StrFormat("C%07d", c); }

std::string LogDir() {
  if (const char* dir = std::getenv("EVENT_LOG_BENCHMARK_DIR")) return dir;
  const char* tmp = std::getenv("TEST_TMPDIR");
  return JoinPath(tmp != nullptr ? tmp : "/tmp",
                  absl::StrCat("event-log-benchmark-", ::getpid()));
}

events::LogRecord Events(int count, int64_t seed) {
  events::LogRecord record;
  for (int i = 0; i < count; ++i) {
    events::LoggedEvent* event = record.add_events();
    event->set_customer_id(CustomerId((seed * 31 + i) % g_customers));
    event->set_item_id(ItemId((seed * 7 + i * 13) % g_items));
    event->set_type(i % 5 == 0 ? events::PURCHASE : events::VIEW);
    event->set_quantity(1);
    event->set_unix_seconds(1780000000 + seed);
  }
  return record;
}

// Args: events per Append call, fdatasync (1) or not (0). Run with several
// threads: each is one RecordEvents caller; group commit merges them.
events::EventLogWriter* g_writer = nullptr;
void BM_EventLogAppend(benchmark::State& state) {
  const int per_call = static_cast<int>(state.range(0));
  if (state.thread_index() == 0) {
    RemoveAll(LogDir()).IgnoreError();
    events::EventLogWriter::Options options;
    options.sync = state.range(1) != 0;
    events::EventLogReadSummary summary;
    g_writer = events::EventLogWriter::Open(
                   LogDir(), options,
                   [](const events::LogRecord&) { return absl::OkStatus(); },
                   &summary)
                   ->release();
  }
  int64_t seed = state.thread_index() * 1000000;
  for (auto _ : state) {
    if (!g_writer->Append(Events(per_call, ++seed)).ok()) {
      state.SkipWithError("append failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * per_call);
  if (state.thread_index() == 0) {
    const events::EventLogWriter::Stats stats = g_writer->stats();
    state.counters["calls_per_fsync"] =
        static_cast<double>(stats.records_appended) /
        static_cast<double>(std::max<int64_t>(1, stats.group_commits));
    delete g_writer;
    g_writer = nullptr;
    RemoveAll(LogDir()).IgnoreError();
  }
}

// A shop of g_items items in 20 categories and g_customers customers with
// vectors, 20 purchases each, and the default fold-in parameters.
const ModelSnapshot& Snapshot() {
  static const ModelSnapshot* snapshot = [] {
    const EmbeddingMatrix vectors =
        ClusteredVectors(g_items + g_customers, kDimension, 500, 7);
    TestSnapshotBuilder builder(kDimension);
    for (int64_t i = 0; i < g_items; ++i) {
      const auto row = vectors.row(i);
      builder.AddItem(ItemId(i), absl::StrCat("category/", i % 20),
                      std::vector<float>(row.begin(), row.end()),
                      i % 2 == 0 ? snapshot::DURABLE : snapshot::CONSUMABLE,
                      1000, static_cast<int32_t>(i % 50));
    }
    for (int64_t c = 0; c < g_customers; ++c) {
      const auto row = vectors.row(g_items + c);
      std::vector<std::pair<std::string, int64_t>> purchases;
      for (int p = 0; p < kPurchasesPerCustomer; ++p) {
        purchases.emplace_back(ItemId((c * 7919 + p * 104729) % g_items),
                               1700000000 + p * 86400);
      }
      builder.AddCustomer(CustomerId(c),
                          std::vector<float>(row.begin(), row.end()),
                          std::move(purchases));
    }
    SnapshotContents contents = builder.Build();
    // The index the trainer would choose for this catalog size.
    contents.index =
        std::move(BuildItemIndex(contents.item_factors, IndexOptions()))
            .value();
    return ModelSnapshot::FromContents(std::move(contents)).value().release();
  }();
  return *snapshot;
}

// Every customer with three live views (the fold-in path).
const LiveState& ViewsForEveryone() {
  static const LiveState* state = [] {
    auto* live = new LiveState();
    events::LogRecord record;
    record.set_sequence(1);
    for (int64_t c = 0; c < g_customers; ++c) {
      for (int v = 0; v < 3; ++v) {
        events::LoggedEvent* event = record.add_events();
        event->set_customer_id(CustomerId(c));
        event->set_item_id(ItemId((c * 13 + v * 101) % g_items));
        event->set_type(events::VIEW);
        event->set_unix_seconds(1780000000 + v);
      }
    }
    live->Apply(record);
    return live;
  }();
  return *state;
}

void BM_FoldIn(benchmark::State& state) {
  const ModelSnapshot& model = Snapshot();
  int64_t c = 0;
  for (auto _ : state) {
    const absl::flat_hash_map<int32_t, float> added = {
        {static_cast<int32_t>(c % g_items), 1.0f},
        {static_cast<int32_t>((c * 3) % g_items), 1.0f}};
    benchmark::DoNotOptimize(
        FoldIn(model, static_cast<int32_t>(c % g_customers), added));
    ++c;
  }
}

// Arg: live views for every customer (1) or none (0). Items are customers.
void BM_BatchRecommend(benchmark::State& state) {
  const ModelSnapshot& model = Snapshot();
  const LiveState* live = state.range(0) != 0 ? &ViewsForEveryone() : nullptr;
  RecommendQuery query;
  query.count = 10;
  int64_t c = state.thread_index() * (g_customers / 2);
  for (auto _ : state) {
    query.customer_id = CustomerId(c++ % g_customers);
    benchmark::DoNotOptimize(RecommendWithLiveContext(model, live, query));
  }
  state.SetItemsProcessed(state.iterations());
}

void Register() {
  for (int sync : {1, 0}) {
    for (int per_call : {1, 20}) {
      benchmark::RegisterBenchmark("BM_EventLogAppend", BM_EventLogAppend)
          ->Args({per_call, sync})
          ->ArgNames({"events_per_call", "fsync"})
          ->Threads(1)
          ->Threads(8)
          ->Threads(32)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RegisterBenchmark("BM_FoldIn", BM_FoldIn)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_BatchRecommend", BM_BatchRecommend)
      ->Arg(0)
      ->Arg(1)
      ->ArgName("live_views")
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace recommender

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(argc, argv, [](bool smoke) {
    if (smoke) {
      recommender::g_items = 500;
      recommender::g_customers = 500;
    }
    recommender::Register();
  });
}
