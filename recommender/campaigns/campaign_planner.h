// Plans one export of a campaign: selects its segment, drops the customers
// the contact rules forbid (opted out, already sent by this campaign,
// contacted too often lately) and splits the rest into arms and the
// held-back control group (arm_assignment.h). The exporter then picks
// items for each send (campaign_picks.h), delivers them and records the
// sends and the plan's summary in the campaign store.
//
// Thread-safe: pure function over its arguments (the ledger must be safe
// for concurrent reads).
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_PLANNER_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_PLANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/contact_policy.h"
#include "recommender/campaigns/send.h"
#include "recommender/segments/segment_expression.h"
#include "recommender/segments/segment_selector.h"

namespace recommender::campaigns {

struct CampaignPlan {
  // One per eligible customer, in the selector's order, with arm and time
  // set and no items yet.
  std::vector<Send> sends;
  ContactCounts counts;
  int64_t control = 0;
  int64_t mailed = 0;
  // Mailed customers per arm, parallel to campaign.arms.
  std::vector<int64_t> per_arm;
};

// `segment` is the campaign's resolved segment (ValidateCampaign);
// `selector` holds the customers' facts as of the export. Errors as for
// SegmentSelector::Select (naming "campaign.segment") and
// ValidateContactRules.
absl::StatusOr<CampaignPlan> PlanCampaign(
    const CampaignDefinition& campaign,
    const segments::SegmentExpression& segment,
    const segments::SegmentSelector& selector, const ContactRules& rules,
    const ContactLedger& ledger, absl::Time now);

// The plan's counts as the campaign log records them.
ExportSummary SummarizePlan(const CampaignPlan& plan,
                            const std::string& campaign_id,
                            const std::string& export_id,
                            const ContactRules& rules, absl::Time now);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_PLANNER_H_
