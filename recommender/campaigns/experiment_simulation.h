// A storefront experiment with a known true effect, simulated through the
// real assignment (ExperimentAssigner), recommendation ids, exposure
// records as the store keeps them (first exposure per customer),
// attribution and the report (experiment_report.h). Customers arrive at
// the storefront over `arrival_days` days and see their arm's widget; each
// buys within the window with probability base_rate in the control arm and
// base_rate + uplift in the treatment arm; a buyer clicked a
// recommendation first with probability click_share (a view carrying the
// response's recommendation id), and orders a second time with
// probability second_order_rate; order values are exponential around
// mean_order_value. Purchases before the exposure, after the window,
// clicks on another experiment's ids and duplicated events are mixed in
// and must be ignored. So the true uplifts are:
//   purchase rate: uplift;
//   revenue per exposed customer:
//     uplift * mean_order_value * (1 + second_order_rate).
//
// Thread-safe: pure function (deterministic for a seed).
#ifndef RECOMMENDER_CAMPAIGNS_EXPERIMENT_SIMULATION_H_
#define RECOMMENDER_CAMPAIGNS_EXPERIMENT_SIMULATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/experiment.h"
#include "recommender/campaigns/experiment_report.h"
#include "recommender/campaigns/send.h"

namespace recommender::campaigns {

struct KnownExperimentEffect {
  int64_t customers = 4000;
  // Share of the customers in the treatment arm (the rest: control).
  double treatment_share = 0.5;
  double base_rate = 0.10;
  double uplift = 0.05;
  double click_share = 0.6;
  double second_order_rate = 0.2;
  double mean_order_value = 3000;
  int window_days = 14;
  int arrival_days = 7;
  uint64_t seed = 1;
};

struct KnownExperimentRun {
  ExperimentDefinition experiment;
  // First exposures, arm = index into experiment.arms ("control" is 0,
  // "treatment" 1).
  std::vector<Send> exposures;
  std::vector<CustomerEvent> events;
  ExperimentReport report;
  double true_response_uplift = 0;
  double true_revenue_uplift = 0;
};

// The first simulated exposure: 2026-03-02T00:00:00Z.
inline constexpr int64_t kSimulatedExperimentStart = 1772409600;

// InvalidArgument naming the field for rates outside [0, 1] (base_rate +
// uplift included), a treatment share outside (0, 1), fewer than 10
// customers, or days out of range.
absl::StatusOr<KnownExperimentRun> SimulateKnownExperiment(
    const KnownExperimentEffect& effect,
    const ReportOptions& options = ReportOptions());

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_EXPERIMENT_SIMULATION_H_
