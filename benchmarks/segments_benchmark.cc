// Segment selection at scale: building the customer facts (one pass over
// every purchase, plus each customer's lifetime value), scoring RFM and
// lifetime-value deciles, selecting segments and summarizing the RFM grid,
// over a generated shop of 1M customers (--scale=smoke: 2,000). Rates are
// customers per second (items_per_second).
//
//   bazel run //benchmarks:segments_benchmark
//   bazel run //benchmarks:segments_benchmark -- --scale=smoke
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/rfm_grid.h"
#include "recommender/segments/segment_expression.h"
#include "recommender/segments/segment_selector.h"
#include "recommender/segments/testing_shop.h"

namespace recommender::segments {
namespace {

int64_t g_customers = 1000000;

const std::shared_ptr<const ModelSnapshot>& Shop() {
  static auto* shop = new std::shared_ptr<const ModelSnapshot>(
      MakeTestingShop(g_customers));
  return *shop;
}

CustomerFactsOptions Options() {
  CustomerFactsOptions options;
  options.as_of = absl::FromUnixSeconds(kTestingShopEnd);
  return options;
}

const SegmentSelector& Selector() {
  static auto* selector = new SegmentSelector(std::shared_ptr<const CustomerFacts>(
      std::move(CustomerFacts::Build(Shop(), Options())).value()));
  return *selector;
}

void SetRates(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * g_customers);
  state.counters["customers"] = static_cast<double>(g_customers);
}

// Facts: orders, revenue, recency, attributes and lifetime value.
void BM_BuildCustomerFacts(benchmark::State& state) {
  const auto& shop = Shop();
  for (auto _ : state) {
    benchmark::DoNotOptimize(CustomerFacts::Build(shop, Options()));
  }
  SetRates(state);
}

// RFM quintiles and lifetime-value deciles (three sorts and one more).
void BM_ScoreRfmAndDeciles(benchmark::State& state) {
  std::shared_ptr<const CustomerFacts> facts(
      std::move(CustomerFacts::Build(Shop(), Options())).value());
  for (auto _ : state) {
    SegmentSelector selector(facts);
    benchmark::DoNotOptimize(selector.rfm().r.data());
  }
  SetRates(state);
}

const char* const kExpressions[] = {
    "at_risk",
    "at_risk and region = tokyo,osaka and ltv_decile >= 8",
    "lapsed(60) and age_band = 30-39 and gender = f",
    "due(0..7)",
};

// One selection over every customer; range(0) indexes kExpressions.
void BM_Select(benchmark::State& state) {
  const SegmentSelector& selector = Selector();
  const SegmentExpression expression =
      ParseSegmentExpression(kExpressions[state.range(0)], "segment").value();
  size_t selected = 0;
  for (auto _ : state) {
    auto rows = selector.Select(expression);
    selected = rows->size();
    benchmark::DoNotOptimize(rows);
  }
  SetRates(state);
  state.counters["selected"] = static_cast<double>(selected);
  state.SetLabel(kExpressions[state.range(0)]);
}

void BM_RfmGrid(benchmark::State& state) {
  const SegmentSelector& selector = Selector();
  for (auto _ : state) {
    benchmark::DoNotOptimize(SummarizeRfmGrid(selector));
  }
  SetRates(state);
}

// Everything from the snapshot to one segment's customers: facts, scores,
// selection.
void BM_SelectFromSnapshot(benchmark::State& state) {
  const auto& shop = Shop();
  const SegmentExpression expression =
      ParseSegmentExpression(kExpressions[state.range(0)], "segment").value();
  for (auto _ : state) {
    SegmentSelector selector(std::shared_ptr<const CustomerFacts>(
        std::move(CustomerFacts::Build(shop, Options())).value()));
    benchmark::DoNotOptimize(selector.Select(expression));
  }
  SetRates(state);
  state.SetLabel(kExpressions[state.range(0)]);
}

void Register() {
  benchmark::RegisterBenchmark("BM_BuildCustomerFacts", BM_BuildCustomerFacts)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ScoreRfmAndDeciles", BM_ScoreRfmAndDeciles)
      ->Unit(benchmark::kMillisecond);
  for (int64_t e = 0; e < 4; ++e) {
    benchmark::RegisterBenchmark("BM_Select", BM_Select)
        ->Arg(e)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("BM_RfmGrid", BM_RfmGrid)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_SelectFromSnapshot", BM_SelectFromSnapshot)
      ->Arg(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace recommender::segments

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(argc, argv, [](bool smoke) {
    if (smoke) recommender::segments::g_customers = 2000;
    recommender::segments::Register();
  });
}
