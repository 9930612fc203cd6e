#include "recommender/campaigns/campaign_planner.h"

#include <utility>

#include "recommender/campaigns/arm_assignment.h"

namespace recommender::campaigns {

absl::StatusOr<CampaignPlan> PlanCampaign(
    const CampaignDefinition& campaign,
    const segments::SegmentExpression& segment,
    const segments::SegmentSelector& selector, const ContactRules& rules,
    const ContactLedger& ledger, absl::Time now) {
  if (absl::Status valid = ValidateContactRules(rules); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::vector<int32_t>> rows =
      selector.Select(segment, "campaign.segment");
  if (!rows.ok()) return rows.status();
  std::vector<std::string> ids;
  ids.reserve(rows->size());
  for (int32_t c : *rows) ids.emplace_back(selector.facts().id(c));
  CampaignPlan plan;
  plan.counts = ApplyContactPolicy(rules, ledger, campaign.id, now, &ids,
                                   &*rows);
  plan.per_arm.assign(campaign.arms.size(), 0);
  const ArmAssigner assigner(campaign);
  const int64_t t = absl::ToUnixSeconds(now);
  plan.sends.reserve(ids.size());
  for (std::string& id : ids) {
    Send send;
    send.arm = assigner.Assign(id);
    send.customer_id = std::move(id);
    send.unix_seconds = t;
    if (send.arm == ArmAssigner::kControl) {
      ++plan.control;
    } else {
      ++plan.mailed;
      ++plan.per_arm[send.arm];
    }
    plan.sends.push_back(std::move(send));
  }
  return plan;
}

ExportSummary SummarizePlan(const CampaignPlan& plan,
                            const std::string& campaign_id,
                            const std::string& export_id,
                            const ContactRules& rules, absl::Time now) {
  ExportSummary summary;
  summary.set_campaign_id(campaign_id);
  summary.set_export_id(export_id);
  summary.set_unix_seconds(absl::ToUnixSeconds(now));
  summary.set_selected(plan.counts.selected);
  summary.set_opted_out(plan.counts.opted_out);
  summary.set_already_sent(plan.counts.already_sent);
  summary.set_capped(plan.counts.capped);
  summary.set_control(plan.control);
  summary.set_mailed(plan.mailed);
  summary.set_max_contacts(rules.max_contacts);
  summary.set_per_days(rules.per_days);
  return summary;
}

}  // namespace recommender::campaigns
