// Campaign exports and reports at scale, over a generated shop of 1M
// customers (--scale=smoke: 2,000): planning an export (segment selection,
// opt-outs and the contact cap against a campaign store that already
// holds a previous campaign, assignment), recording the sends durably in
// the campaign log, attributing purchases and building the report. Rates
// are customers per second (items_per_second).
//
//   bazel run //benchmarks:campaign_benchmark
//   bazel run //benchmarks:campaign_benchmark -- --scale=smoke
// CAMPAIGN_BENCHMARK_DIR puts the campaign log on the disk to measure.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "benchmarks/benchmark_main.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_planner.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/campaign_store.h"
#include "recommender/campaigns/splitmix.h"
#include "recommender/segments/customer_facts.h"
#include "recommender/segments/segment_library.h"
#include "recommender/segments/segment_selector.h"
#include "recommender/segments/testing_shop.h"
#include "recommender/util/file_util.h"

namespace recommender::campaigns {
namespace {

int64_t g_customers = 1000000;
const absl::Time kNow = absl::FromUnixSeconds(segments::kTestingShopEnd);

std::string LogDir(const std::string& name) {
  const char* root = std::getenv("CAMPAIGN_BENCHMARK_DIR");
  if (root == nullptr) root = std::getenv("TEST_TMPDIR");
  const std::string dir = JoinPath(
      root != nullptr ? root : "/tmp",
      absl::StrCat("campaign_benchmark_", ::getpid(), "_", name));
  RemoveAll(dir).IgnoreError();
  return dir;
}

const segments::SegmentSelector& Selector() {
  static auto* selector = [] {
    segments::CustomerFactsOptions options;
    options.as_of = kNow;
    return new segments::SegmentSelector(
        std::shared_ptr<const segments::CustomerFacts>(
            std::move(segments::CustomerFacts::Build(
                          segments::MakeTestingShop(g_customers), options))
                .value()));
  }();
  return *selector;
}

CampaignDefinition Campaign(const std::string& id, const std::string& segment) {
  CampaignDefinition c;
  c.id = id;
  c.segment = segment;
  CampaignArm arm;
  arm.name = "personal";
  c.arms = {arm};
  return c;
}

// A store where a previous campaign mailed every fourth customer two days
// ago, and every hundredth customer opted out.
CampaignStore& Store() {
  static CampaignStore* store = [] {
    CampaignLogWriter::Options options;
    options.sync = false;
    auto* s = CampaignStore::Open(LogDir("store"), options).value().release();
    s->CreateCampaign(Campaign("earlier", "all"), "all", kNow).IgnoreError();
    std::vector<Send> sends;
    std::vector<std::string> opted;
    const segments::CustomerFacts& facts = Selector().facts();
    for (int32_t c = 0; c < facts.size(); ++c) {
      if (c % 4 == 0) {
        Send send;
        send.customer_id = std::string(facts.id(c));
        send.arm = 0;
        send.unix_seconds = absl::ToUnixSeconds(kNow) - 2 * 86400;
        sends.push_back(std::move(send));
      }
      if (c % 100 == 0) opted.emplace_back(facts.id(c));
    }
    s->RecordSends("earlier", "e", sends).IgnoreError();
    s->SetOptOut(opted, true, kNow).IgnoreError();
    return s;
  }();
  return *store;
}

void SetRates(benchmark::State& state, int64_t per_iteration) {
  state.SetItemsProcessed(state.iterations() * per_iteration);
  state.counters["customers"] = static_cast<double>(per_iteration);
}

// Segment selection, opt-outs, the cap and assignment; range(0): 0 for
// "all", 1 for "at_risk".
void BM_PlanCampaign(benchmark::State& state) {
  const std::string segment = state.range(0) == 0 ? "all" : "at_risk";
  const CampaignDefinition campaign = Campaign("next", segment);
  const segments::SegmentExpression expression =
      ValidateCampaign(campaign, segments::SegmentLibrary()).value();
  const segments::SegmentSelector& selector = Selector();
  CampaignStore& store = Store();
  CampaignPlan plan;
  for (auto _ : state) {
    plan = PlanCampaign(campaign, expression, selector, ContactRules{1, 7},
                        store, kNow)
               .value();
  }
  SetRates(state, plan.counts.selected);
  state.counters["capped"] = static_cast<double>(plan.counts.capped);
  state.counters["mailed"] = static_cast<double>(plan.mailed);
  state.SetLabel(segment);
}

// Durable sends of 5 item ids each, in records of 2,000; range(0): 1 to
// fdatasync each record.
void BM_RecordSends(benchmark::State& state) {
  const int64_t n = std::min<int64_t>(g_customers, 200000);
  std::vector<Send> sends(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    sends[i].customer_id = absl::StrCat("C", i);
    sends[i].arm = i % 10 == 0 ? ArmAssigner::kControl : 0;
    sends[i].item_ids = {"P0000001", "P0000002", "P0000003", "P0000004",
                         "P0000005"};
    sends[i].unix_seconds = absl::ToUnixSeconds(kNow);
  }
  int round = 0;
  CampaignLogWriter::Options options;
  options.sync = state.range(0) != 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = LogDir(absl::StrCat("sends", round++));
    auto store = CampaignStore::Open(dir, options).value();
    store->CreateCampaign(Campaign("c", "all"), "all", kNow).IgnoreError();
    state.ResumeTiming();
    benchmark::DoNotOptimize(store->RecordSends("c", "e", sends));
    state.PauseTiming();
    store.reset();
    RemoveAll(dir).IgnoreError();
    state.ResumeTiming();
  }
  SetRates(state, n);
}

// Attribution of two purchase events per buyer (15% buy) and the report.
void BM_AttributeAndReport(benchmark::State& state) {
  const int64_t n = g_customers;
  const CampaignDefinition campaign = Campaign("c", "all");
  const ArmAssigner assigner(campaign);
  std::vector<Send> sends(static_cast<size_t>(n));
  std::vector<CustomerEvent> events;
  SplitMix64 random(1);
  for (int64_t i = 0; i < n; ++i) {
    sends[i].customer_id = absl::StrCat("C", i);
    sends[i].arm = assigner.Assign(sends[i].customer_id);
    sends[i].item_ids = {"P1", "P2", "P3"};
    sends[i].unix_seconds = absl::ToUnixSeconds(kNow);
    if (random.Uniform() < 0.15) {
      for (int k = 0; k < 2; ++k) {
        CustomerEvent e;
        e.customer_id = sends[i].customer_id;
        e.item_id = k == 0 ? "P2" : "Q9";
        e.unix_seconds = sends[i].unix_seconds + 3600 * (k + 1);
        e.value = 2000;
        events.push_back(std::move(e));
      }
    }
  }
  for (auto _ : state) {
    const Attribution a =
        AttributePurchases(campaign.id, sends, events, 14, kNow + absl::Hours(24 * 30));
    benchmark::DoNotOptimize(BuildCampaignReport(campaign, a));
  }
  SetRates(state, n);
}

void Register() {
  benchmark::RegisterBenchmark("BM_PlanCampaign", BM_PlanCampaign)
      ->Arg(0)
      ->Arg(1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_RecordSends", BM_RecordSends)
      ->Arg(1)
      ->Arg(0)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_AttributeAndReport", BM_AttributeAndReport)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace recommender::campaigns

int main(int argc, char** argv) {
  return recommender::RunBenchmarkMain(argc, argv, [](bool smoke) {
    if (smoke) recommender::campaigns::g_customers = 2000;
    recommender::campaigns::Register();
  });
}
