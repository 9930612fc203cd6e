// The campaign report: per arm and for the held-back control group, what
// customers did in the attribution window, and each arm's uplift over
// control with confidence intervals, in figures and in plain words.
//
//   response rate: share of customers who bought (Wilson interval);
//   uplift in response rate: arm minus control, Newcombe's hybrid score
//     interval (proportion_interval.h);
//   revenue per customer: arm minus control, Welch's interval or a seeded
//     bootstrap (mean_difference.h);
//   bought a recommended item: arm vs the control group's would-be picks,
//     Newcombe again (only when control sends recorded their picks);
//   orders per customer, repeat rate (buyers with two or more orders per
//   buyer), share of picks bought, bought after a click.
//
// The verdict claims an effect only when the interval excludes zero, and
// otherwise says how large an effect the groups could have detected
// (sample_size.h).
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_REPORT_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/proportion_interval.h"

namespace recommender::campaigns {

struct GroupFigures {
  // The arm's name, or "control".
  std::string name;
  int64_t customers = 0;
  int64_t buyers = 0;
  // buyers / customers with its Wilson interval; all 0 with no customers.
  Interval response_rate;
  int64_t orders = 0;
  double orders_per_customer = 0;
  double revenue = 0;
  double revenue_per_customer = 0;
  // Buyers with two or more orders, per buyer; 0 without buyers.
  double repeat_rate = 0;
  int64_t picks_sent = 0;
  int64_t picks_bought = 0;
  // picks_bought / picks_sent; 0 if nothing was sent (or, for control, no
  // would-be picks were recorded).
  double share_of_picks_bought = 0;
  // Customers who bought at least one of their picks.
  int64_t bought_recommended = 0;
  // Customers who bought after clicking the mail.
  int64_t bought_after_click = 0;
};

struct ArmComparison {
  std::string arm;
  // Both groups have at least two customers.
  bool measurable = false;
  // Arm minus control, in rate points (0.01 = one point).
  Interval response_uplift;
  bool response_significant = false;
  // Arm minus control, revenue per customer.
  Interval revenue_uplift;
  bool revenue_significant = false;
  // Arm minus control, share who bought one of their (would-be) picks;
  // unset when control recorded no picks.
  std::optional<Interval> recommended_uplift;
  // The smallest uplift in response these group sizes detect with 80%
  // power at the report's level; 0 when not measurable.
  double minimum_detectable_uplift = 0;
  // For an inconclusive positive uplift: the customers needed (at this
  // control share) to detect it.
  std::optional<int64_t> customers_needed;
  std::string verdict;
};

struct CampaignReport {
  std::string campaign_id;
  std::string campaign_name;
  int attribution_window_days = 0;
  double confidence = 0.95;
  // "welch" or "bootstrap".
  std::string revenue_method;
  int64_t sends_with_open_window = 0;
  // Purchase events counted (after removing duplicates).
  int64_t purchases_attributed = 0;
  std::vector<GroupFigures> arms;
  GroupFigures control;
  std::vector<ArmComparison> comparisons;
};

struct ReportOptions {
  // Of every interval: in (0, 1).
  double confidence = 0.95;
  enum class RevenueInterval { kWelch, kBootstrap };
  RevenueInterval revenue_interval = RevenueInterval::kWelch;
  int bootstrap_resamples = 2000;
  uint64_t bootstrap_seed = 1;
};

// The report of `campaign` from its attribution. InvalidArgument naming the
// option for a confidence out of range or a bad resample count.
absl::StatusOr<CampaignReport> BuildCampaignReport(
    const CampaignDefinition& campaign, const Attribution& attribution,
    const ReportOptions& options = ReportOptions());

// The report as text for people: a table of the groups, then each arm's
// uplift and verdict.
std::string FormatCampaignReport(const CampaignReport& report);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_REPORT_H_
