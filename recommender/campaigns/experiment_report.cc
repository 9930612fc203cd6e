#include "recommender/campaigns/experiment_report.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/campaign.h"

namespace recommender::campaigns {

absl::StatusOr<ExperimentReport> BuildExperimentReport(
    const ExperimentDefinition& experiment, absl::Span<const Send> exposures,
    absl::Span<const CustomerEvent> events, absl::Time now,
    ReportOptions options) {
  const int control = ControlArmIndex(experiment);
  // The campaign the report sees: the other arms as treatment arms, the
  // control arm as the held-back group.
  CampaignDefinition campaign;
  campaign.id = experiment.id;
  campaign.name = experiment.name;
  campaign.attribution_window_days = experiment.attribution_window_days;
  std::vector<int> report_arm(experiment.arms.size(), ArmAssigner::kControl);
  for (int a = 0; a < static_cast<int>(experiment.arms.size()); ++a) {
    if (a == control) continue;
    report_arm[a] = static_cast<int>(campaign.arms.size());
    CampaignArm arm;
    arm.name = experiment.arms[a].name;
    arm.weight = experiment.arms[a].share;
    campaign.arms.push_back(std::move(arm));
  }
  std::vector<Send> sends(exposures.begin(), exposures.end());
  for (Send& send : sends) {
    send.arm = send.arm >= 0 && send.arm < static_cast<int>(report_arm.size())
                   ? report_arm[send.arm]
                   : ArmAssigner::kControl;
  }
  const std::string id = experiment.id;
  const Attribution attribution = AttributePurchases(
      sends, events, experiment.attribution_window_days, now,
      [&id](const Send&, absl::string_view recommendation_id) {
        std::optional<ExperimentArmRef> ref =
            ParseExperimentRecommendationId(recommendation_id);
        return ref.has_value() && ref->experiment_id == id;
      });
  const std::string control_name = experiment.arms[control].name;
  options.wording.treated = "its exposed customers";
  options.wording.treated_short = "arm";
  options.wording.control = absl::StrCat("the control arm \"", control_name, "\"");
  options.wording.control_short = control_name;
  options.wording.heading = "Experiment";
  options.wording.start = "the first exposure";
  options.wording.click = "buyers after clicking a recommendation";
  options.wording.empty_control = " (none of them has been served yet)";
  absl::StatusOr<CampaignReport> report =
      BuildCampaignReport(campaign, attribution, options);
  if (!report.ok()) return report.status();
  ExperimentReport out;
  out.control_arm = control_name;
  for (int a = 0; a < static_cast<int>(experiment.arms.size()); ++a) {
    out.arms.push_back(a == control ? report->control
                                    : report->arms[report_arm[a]]);
  }
  out.report = *std::move(report);
  return out;
}

std::string FormatExperimentReport(const ExperimentReport& report) {
  std::string out = FormatCampaignReport(report.report);
  absl::StrAppend(&out, "\n",
                  absl::StrFormat("%-16s %10s %9s %9s %10s %12s\n", "arm",
                                  "exposed", "clicked", "CTR", "purchase",
                                  "revenue/c"));
  for (const GroupFigures& g : report.arms) {
    absl::StrAppend(
        &out, absl::StrFormat("%-16s %10d %9d %8.2f%% %9.2f%% %12.2f%s\n",
                              g.name, g.customers, g.clicked,
                              100 * g.click_through,
                              100 * g.response_rate.estimate,
                              g.revenue_per_customer,
                              g.name == report.control_arm ? "  (control)" : ""));
  }
  absl::StrAppend(&out,
                  "(exposed: customers the experiment served; clicked: with "
                  "an event carrying one of its recommendation ids; "
                  "purchase: share who bought within the window)\n");
  return out;
}

}  // namespace recommender::campaigns
