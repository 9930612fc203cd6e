// Which arm of a campaign a customer gets, or whether they are held back:
// a pure function of the campaign id and the customer id, so that every
// export of a campaign (a re-run, a resumed stream, another server) splits
// the customers the same way, and nothing but the two ids (no selection
// order, no clock, no process-seeded hash) can move a customer between
// groups. Different campaigns split independently.
//
//   u = Mix64(FNV-1a-64(campaign id, 0x00, customer id)) / 2^64
//   control if u < control_share; otherwise the arm whose cumulative weight
//   share covers (u - control_share) / (1 - control_share).
//
// The hash is part of the on-disk contract: changing it would reshuffle
// campaigns in flight, so its values are pinned by tests.
//
// Thread-safe: immutable after construction.
#ifndef RECOMMENDER_CAMPAIGNS_ARM_ASSIGNMENT_H_
#define RECOMMENDER_CAMPAIGNS_ARM_ASSIGNMENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "recommender/campaigns/campaign.h"

namespace recommender::campaigns {

// The stable 64-bit hash behind assignment.
uint64_t AssignmentHash(absl::string_view campaign_id,
                        absl::string_view customer_id);

// The id a campaign's mail carries for one customer, for click attribution:
// "<campaign id>.<16 hex digits>", the same in every export; it does not
// reveal the customer id.
std::string RecommendationId(absl::string_view campaign_id,
                             absl::string_view customer_id);

// The campaign id of a recommendation id made above; empty if `id` is not
// of that form.
absl::string_view CampaignOfRecommendationId(absl::string_view id);

class ArmAssigner {
 public:
  static constexpr int kControl = -1;

  // `campaign` must have passed ValidateCampaign.
  explicit ArmAssigner(const CampaignDefinition& campaign);

  // kControl, or the index of the customer's arm in campaign.arms.
  int Assign(absl::string_view customer_id) const;

 private:
  std::string campaign_id_;
  double control_share_;
  // Cumulative weight shares of the arms; the last is 1.
  std::vector<double> cumulative_;
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_ARM_ASSIGNMENT_H_
