// A campaign: whom to mail (a segment), what to send (one or more
// treatment arms, each with its own way of picking items), and how its
// effect is measured (a held-back control group that gets nothing, and an
// attribution window for purchases after the send).
//
// Thread-safe: plain data and pure functions.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/filter/item_filter.h"
#include "recommender/segments/segment_expression.h"
#include "recommender/segments/segment_library.h"

namespace recommender::campaigns {

// The name of the held-back group in sends and reports; no arm may take it.
inline constexpr char kControlArm[] = "control";

inline constexpr int kMaxPicks = 100;
inline constexpr int kMaxArms = 10;
inline constexpr int kMaxAttributionWindowDays = 365;
inline constexpr double kMaxControlShare = 0.9;

// How an arm picks the items it sends.
enum class PickStrategy {
  kPersonalized,  // The customer's own picks (Recommend).
  kPopular,       // The shop's most bought items, the same for everyone.
  kDueReminder,   // The consumables due again first, then personal picks.
};

// "personalized", "popular", "due_reminder".
absl::string_view PickStrategyName(PickStrategy strategy);
std::optional<PickStrategy> ParsePickStrategy(absl::string_view name);

struct CampaignArm {
  // 1 to 64 characters of a-z, 0-9, '_' and '-'; unique; not "control".
  std::string name;
  PickStrategy strategy = PickStrategy::kPersonalized;
  // Items per customer, 1 to 100; unset: the campaign's picks_per_customer.
  std::optional<int> picks;
  // Relative share of the treated customers (> 0): arms with weights 2 and
  // 1 get two thirds and one third of those not held back.
  double weight = 1;
};

struct CampaignDefinition {
  // Stable id, 1 to 64 characters of a-z, 0-9, '_' and '-', starting with
  // a letter or digit. Assignment hashes it: the same id always splits the
  // same customers the same way.
  std::string id;
  // For people, e.g. "Spring win-back"; at most 200 bytes.
  std::string name;
  // A segment expression or saved segment name (segment_expression.h).
  std::string segment;
  // Items per customer for arms that do not say: 1 to 100.
  int picks_per_customer = 5;
  ItemFilter filter;
  // At most this many picks of one category; 0: no cap.
  int max_per_category = 0;
  // At least one, at most kMaxArms.
  std::vector<CampaignArm> arms;
  // Share of the eligible customers held back, in [0, 0.9]. 0 leaves no
  // control group, and then no uplift can be measured.
  double control_share = 0.1;
  // Purchases this many days after the send count for the campaign:
  // 1 to 365.
  int attribution_window_days = 14;
};

// The arm's picks per customer after defaults.
int PicksOf(const CampaignDefinition& campaign, const CampaignArm& arm);

// Checks every field and parses the segment against `library` (the
// built-in RFM names and the shop's saved segments). InvalidArgument whose
// message starts with the field: "campaign.control_share: ...",
// "campaign.arms[1].picks: ...", "campaign.segment: at 1: unknown segment
// ...", "campaign.attribution_window_days: ...".
absl::StatusOr<segments::SegmentExpression> ValidateCampaign(
    const CampaignDefinition& campaign,
    const segments::SegmentLibrary& library);

// OK for a campaign or arm id (rules above); InvalidArgument starting with
// `field` otherwise.
absl::Status ValidateCampaignId(absl::string_view id, absl::string_view field);

// OK for an attribution window of 1 to kMaxAttributionWindowDays days (of a
// campaign or an experiment); InvalidArgument starting with `field`
// otherwise.
absl::Status ValidateAttributionWindow(int days, absl::string_view field);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_H_
