// The report of a storefront experiment: the campaign report's figures and
// statistics (campaign_report.h: Wilson rates, Newcombe's interval for the
// uplift in purchase rate, Welch's or a bootstrap interval for revenue per
// customer, verdicts that claim only what the interval shows), with the
// experiment's control arm in the place of a campaign's held-back group.
//
// A customer enters an arm at their first exposure (the first Recommend
// the experiment served them); their purchases in the attribution window
// after it count, and a click is any event carrying a recommendation id of
// this experiment's responses (experiment.h). So per arm: exposed
// customers, click-through (customers who clicked, per exposed customer),
// purchase rate, orders and revenue per exposed customer, and the share
// who bought an item their first response showed; per arm against the
// control arm: the uplifts with their intervals and the verdict.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_EXPERIMENT_REPORT_H_
#define RECOMMENDER_CAMPAIGNS_EXPERIMENT_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/experiment.h"
#include "recommender/campaigns/send.h"

namespace recommender::campaigns {

struct ExperimentReport {
  // The campaign report over the experiment: `arms` holds every arm but
  // the control arm, `control` the control arm (under its own name),
  // `comparisons` each of the others against it.
  CampaignReport report;
  std::string control_arm;
  // Every arm's figures in the experiment's order, the control arm
  // included.
  std::vector<GroupFigures> arms;
};

// The report of validated `experiment` from its first exposures
// (`exposures`: arm = index into experiment.arms) and what the exposed
// customers did (`events`, any order; others' events are ignored), as of
// `now`. options.wording is set here. InvalidArgument for bad options, as
// BuildCampaignReport.
absl::StatusOr<ExperimentReport> BuildExperimentReport(
    const ExperimentDefinition& experiment, absl::Span<const Send> exposures,
    absl::Span<const CustomerEvent> events, absl::Time now,
    ReportOptions options = ReportOptions());

// As text for people (FormatCampaignReport's layout).
std::string FormatExperimentReport(const ExperimentReport& report);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_EXPERIMENT_REPORT_H_
