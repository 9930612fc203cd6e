#include "recommender/campaigns/campaign.h"

#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace recommender::campaigns {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

}  // namespace

absl::string_view PickStrategyName(PickStrategy strategy) {
  switch (strategy) {
    case PickStrategy::kPersonalized:
      return "personalized";
    case PickStrategy::kPopular:
      return "popular";
    case PickStrategy::kDueReminder:
      return "due_reminder";
  }
  return "";
}

std::optional<PickStrategy> ParsePickStrategy(absl::string_view name) {
  for (PickStrategy s : {PickStrategy::kPersonalized, PickStrategy::kPopular,
                         PickStrategy::kDueReminder}) {
    if (PickStrategyName(s) == name) return s;
  }
  return std::nullopt;
}

int PicksOf(const CampaignDefinition& campaign, const CampaignArm& arm) {
  return arm.picks.value_or(campaign.picks_per_customer);
}

absl::Status ValidateAttributionWindow(int days, absl::string_view field) {
  if (days < 1 || days > kMaxAttributionWindowDays) {
    return Invalid(field,
                   absl::StrCat("must be 1 to ", kMaxAttributionWindowDays,
                                " days, got ", days));
  }
  return absl::OkStatus();
}

absl::Status ValidateCampaignId(absl::string_view id, absl::string_view field) {
  if (id.empty() || id.size() > 64) {
    return Invalid(field, absl::StrCat("must be 1 to 64 characters, got ",
                                       id.size()));
  }
  if (!absl::ascii_islower(static_cast<unsigned char>(id[0])) &&
      !absl::ascii_isdigit(static_cast<unsigned char>(id[0]))) {
    return Invalid(field, absl::StrCat("\"", id,
                                       "\" must start with a-z or 0-9"));
  }
  for (char c : id) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_' &&
        c != '-') {
      return Invalid(field, absl::StrCat("\"", id,
                                         "\" may hold only a-z, 0-9, '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<segments::SegmentExpression> ValidateCampaign(
    const CampaignDefinition& campaign,
    const segments::SegmentLibrary& library) {
  if (absl::Status s = ValidateCampaignId(campaign.id, "campaign.id"); !s.ok()) {
    return s;
  }
  if (campaign.name.size() > 200) {
    return Invalid("campaign.name", "at most 200 bytes");
  }
  if (!(campaign.control_share >= 0 &&
        campaign.control_share <= kMaxControlShare)) {
    return Invalid("campaign.control_share",
                   absl::StrCat("must be in [0, ", kMaxControlShare, "], got ",
                                campaign.control_share));
  }
  if (absl::Status window =
          ValidateAttributionWindow(campaign.attribution_window_days,
                                    "campaign.attribution_window_days");
      !window.ok()) {
    return window;
  }
  if (campaign.picks_per_customer < 1 || campaign.picks_per_customer > kMaxPicks) {
    return Invalid("campaign.picks_per_customer",
                   absl::StrCat("must be 1 to ", kMaxPicks, ", got ",
                                campaign.picks_per_customer));
  }
  if (campaign.max_per_category < 0) {
    return Invalid("campaign.max_per_category",
                   absl::StrCat("must be >= 0, got ", campaign.max_per_category));
  }
  if (absl::Status s = ValidateItemFilter(campaign.filter); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("campaign.", s.message()));
  }
  if (campaign.arms.empty() || campaign.arms.size() > kMaxArms) {
    return Invalid("campaign.arms",
                   absl::StrCat("give 1 to ", kMaxArms,
                                " treatment arms, got ", campaign.arms.size()));
  }
  absl::flat_hash_set<absl::string_view> names;
  for (size_t i = 0; i < campaign.arms.size(); ++i) {
    const CampaignArm& arm = campaign.arms[i];
    const std::string field = absl::StrCat("campaign.arms[", i, "]");
    if (absl::Status s = ValidateCampaignId(arm.name, field + ".name"); !s.ok()) {
      return s;
    }
    if (arm.name == kControlArm) {
      return Invalid(field + ".name",
                     "\"control\" is the held-back group's name");
    }
    if (!names.insert(arm.name).second) {
      return Invalid(field + ".name",
                     absl::StrCat("\"", arm.name, "\" is used by another arm"));
    }
    if (arm.picks.has_value() && (*arm.picks < 1 || *arm.picks > kMaxPicks)) {
      return Invalid(field + ".picks",
                     absl::StrCat("an arm sends 1 to ", kMaxPicks,
                                  " picks, got ", *arm.picks));
    }
    if (!(arm.weight > 0) || !std::isfinite(arm.weight)) {
      return Invalid(field + ".weight",
                     absl::StrCat("must be > 0, got ", arm.weight));
    }
  }
  return library.Resolve(campaign.segment, "campaign.segment");
}

}  // namespace recommender::campaigns
