#include "recommender/campaigns/arm_assignment.h"

#include "absl/strings/str_format.h"
#include "recommender/campaigns/splitmix.h"

namespace recommender::campaigns {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;
// Separates the recommendation id's hash from the assignment's.
constexpr uint64_t kRecommendationSalt = 0x5265636f6d6d656eull;

uint64_t Fnv1a(uint64_t hash, absl::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

uint64_t AssignmentHash(absl::string_view campaign_id,
                        absl::string_view customer_id) {
  uint64_t h = Fnv1a(kFnvOffset, campaign_id);
  h = Fnv1a(h, absl::string_view("\0", 1));
  return Mix64(Fnv1a(h, customer_id));
}

std::string RecommendationId(absl::string_view campaign_id,
                             absl::string_view customer_id) {
  return absl::StrFormat(
      "%s.%016x", campaign_id,
      Mix64(AssignmentHash(campaign_id, customer_id) ^ kRecommendationSalt));
}

absl::string_view CampaignOfRecommendationId(absl::string_view id) {
  const size_t dot = id.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || id.size() - dot != 17) {
    return {};
  }
  for (char c : id.substr(dot + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  }
  return id.substr(0, dot);
}

ArmAssigner::ArmAssigner(const CampaignDefinition& campaign)
    : campaign_id_(campaign.id), control_share_(campaign.control_share) {
  double total = 0;
  for (const CampaignArm& arm : campaign.arms) total += arm.weight;
  double running = 0;
  for (const CampaignArm& arm : campaign.arms) {
    running += arm.weight;
    cumulative_.push_back(running / total);
  }
  if (!cumulative_.empty()) cumulative_.back() = 1;
}

int ArmAssigner::Assign(absl::string_view customer_id) const {
  const double u =
      static_cast<double>(AssignmentHash(campaign_id_, customer_id) >> 11) *
      0x1.0p-53;
  if (u < control_share_ || cumulative_.empty()) return kControl;
  const double v = (u - control_share_) / (1 - control_share_);
  for (size_t i = 0; i < cumulative_.size(); ++i) {
    if (v < cumulative_[i]) return static_cast<int>(i);
  }
  return static_cast<int>(cumulative_.size()) - 1;
}

}  // namespace recommender::campaigns
