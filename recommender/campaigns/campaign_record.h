// Conversions between a campaign definition and its campaign-log record
// (proto/campaigns/campaign_log.proto).
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_RECORD_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_RECORD_H_

#include "absl/status/statusor.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "recommender/campaigns/campaign.h"

namespace recommender::campaigns {

CampaignDefinitionRecord ToRecord(const CampaignDefinition& campaign);

// DataLoss for a record no valid definition could have produced (an
// unknown strategy name).
absl::StatusOr<CampaignDefinition> FromRecord(
    const CampaignDefinitionRecord& record);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_RECORD_H_
