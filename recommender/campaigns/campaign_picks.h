// The items a campaign arm sends one customer, by the arm's strategy
// (campaign.h):
//   personalized: the customer's own picks, as Recommend answers them;
//   popular: the shop's most bought items that pass the campaign's filter
//     (never a durable the customer owns), the same list for everyone;
//   due_reminder: the customer's consumables due again (due soon or
//     overdue, most overdue first, "re-bought about every 30 days; last
//     bought 27 days ago"), then personal picks to fill the count.
// Every strategy honours the campaign's filter and per-category cap.
//
// Thread-safe: pure function of an immutable snapshot.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_PICKS_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_PICKS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"

namespace recommender::campaigns {

// Picks of `arm` for `customer_id` at `as_of`; `live` holds what the
// customer did since the snapshot (empty: nothing). Errors as for
// Recommend.
absl::StatusOr<std::vector<Recommendation>> PickItems(
    const ModelSnapshot& snapshot, const CampaignDefinition& campaign,
    const CampaignArm& arm, const std::string& customer_id, absl::Time as_of,
    const LiveContext& live = LiveContext());

// The query Recommend gets for a personalized arm (also what a caller that
// builds live contexts from a LiveState needs).
RecommendQuery ArmQuery(const CampaignDefinition& campaign,
                        const CampaignArm& arm, const std::string& customer_id,
                        absl::Time as_of);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_PICKS_H_
