// A campaign with a known true effect, simulated end to end through the
// real assignment, attribution and report: every customer buys within the
// window with probability p if held back and p + uplift if mailed, so the
// report's uplift interval can be checked against the truth. Used by the
// tests (interval coverage, false alarms with no effect) and by the sample
// shop generator's campaign mode.
//
// What the simulated customers do: a buyer places a first order at a
// uniform time in the window and, with probability second_order_rate, a
// second one; each order's value is exponential with mean
// mean_order_value; an order's item is one of the customer's picks with
// probability bought_pick_share; a mailed buyer clicked the mail just
// before the first order with probability click_share. Purchases before the
// send and after the window, and duplicated events, are mixed in and must
// be ignored. So the true uplifts are:
//   response: uplift;
//   revenue per customer: uplift * mean_order_value * (1 + second_order_rate).
//
// Thread-safe: pure function (deterministic for a seed).
#ifndef RECOMMENDER_CAMPAIGNS_KNOWN_EFFECT_SIMULATION_H_
#define RECOMMENDER_CAMPAIGNS_KNOWN_EFFECT_SIMULATION_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/send.h"

namespace recommender::campaigns {

struct KnownEffect {
  int64_t customers = 20000;
  double control_share = 0.1;
  // P(buy in the window) when held back, and the added chance when mailed.
  double base_rate = 0.05;
  double uplift = 0.02;
  double mean_order_value = 3000;
  double second_order_rate = 0.2;
  double bought_pick_share = 0.3;
  double click_share = 0.5;
  int window_days = 14;
  int picks = 3;
  uint64_t seed = 1;
};

struct KnownEffectRun {
  CampaignDefinition campaign;
  std::vector<Send> sends;
  // Everything the customers did, in time order.
  std::vector<CustomerEvent> events;
  Attribution attribution;
  CampaignReport report;
  double true_response_uplift = 0;
  double true_revenue_uplift = 0;
};

// The moment the simulated campaign is sent: 2026-03-02T00:00:00Z.
inline constexpr int64_t kSimulatedSendTime = 1772409600;

// InvalidArgument naming the field for rates outside [0, 1] (base_rate +
// uplift included), a control share outside (0, 0.9], fewer than 10
// customers, or a window or picks out of the campaign's ranges.
absl::StatusOr<KnownEffectRun> SimulateKnownEffect(
    const KnownEffect& effect, const ReportOptions& options = ReportOptions());

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_KNOWN_EFFECT_SIMULATION_H_
