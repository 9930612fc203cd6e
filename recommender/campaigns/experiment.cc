#include "recommender/campaigns/experiment.h"

#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/util/quote.h"

namespace recommender::campaigns {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", message));
}

absl::StatusOr<bool> ParseSwitch(absl::string_view value,
                                 absl::string_view field) {
  const std::string v = absl::AsciiStrToLower(value);
  if (v == "true" || v == "on" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "off" || v == "0" || v == "no") return false;
  return Invalid(field, absl::StrCat("must be true/false or on/off, got ",
                                     Quote(value)));
}

// The campaign the assigner hashes: the arms' shares as weights, nobody
// held back.
CampaignDefinition AssignmentCampaign(const ExperimentDefinition& e) {
  CampaignDefinition c;
  c.id = absl::StrCat("experiment:", e.id);
  c.control_share = 0;
  for (const ExperimentArm& arm : e.arms) {
    CampaignArm a;
    a.name = arm.name;
    a.weight = arm.share;
    c.arms.push_back(std::move(a));
  }
  return c;
}

}  // namespace

const std::vector<std::string>& ArmSettingNames() {
  static const auto* names = new std::vector<std::string>{
      "max_per_category", "exclude_purchased", "repurchase",
      "repurchase_boost_weight", "in_stock_only"};
  return *names;
}

absl::StatusOr<ArmSettings> ParseArmSettings(
    const std::map<std::string, std::string>& settings,
    absl::string_view field) {
  ArmSettings out;
  for (const auto& [name, value] : settings) {
    const std::string f = absl::StrCat(field, ".", name);
    if (name == "max_per_category") {
      int n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 0 || n > kMaxRecommendations) {
        return Invalid(f, absl::StrCat("must be an integer 0 to ",
                                       kMaxRecommendations, ", got ",
                                       Quote(value)));
      }
      out.max_per_category = n;
    } else if (name == "repurchase_boost_weight") {
      double w = 0;
      if (!absl::SimpleAtod(value, &w) || !std::isfinite(w) || w < 0 ||
          w > 100) {
        return Invalid(
            f, absl::StrCat("must be a number 0 to 100, got ", Quote(value)));
      }
      out.repurchase_boost_weight = w;
    } else if (name == "exclude_purchased" || name == "repurchase" ||
               name == "in_stock_only") {
      absl::StatusOr<bool> on = ParseSwitch(value, f);
      if (!on.ok()) return on.status();
      if (name == "exclude_purchased") out.exclude_purchased = *on;
      if (name == "repurchase") out.repurchase = *on;
      if (name == "in_stock_only") out.in_stock_only = *on;
    } else {
      return Invalid(field, absl::StrCat("unknown setting ", Quote(name),
                                         " (known: ",
                                         absl::StrJoin(ArmSettingNames(), ", "),
                                         ")"));
    }
  }
  return out;
}

void ApplyArmSettings(const ArmSettings& settings, const ModelSnapshot* model,
                      RecommendQuery* query) {
  if (settings.max_per_category.has_value()) {
    query->max_per_category = *settings.max_per_category;
  }
  if (settings.exclude_purchased.has_value()) {
    query->exclude_purchased = *settings.exclude_purchased;
  }
  if ((settings.repurchase.has_value() ||
       settings.repurchase_boost_weight.has_value()) &&
      !query->repurchase.has_value()) {
    query->repurchase = model != nullptr ? SnapshotRepurchaseOptions(*model)
                                         : RepurchaseRankingOptions();
  }
  if (settings.repurchase.has_value()) {
    query->repurchase->enabled = *settings.repurchase;
  }
  if (settings.repurchase_boost_weight.has_value()) {
    query->repurchase->boost_weight = *settings.repurchase_boost_weight;
  }
  if (settings.in_stock_only.has_value()) {
    query->filter.in_stock_only = *settings.in_stock_only;
  }
}

absl::Status ValidateExperiment(const ExperimentDefinition& e) {
  if (absl::Status s = ValidateCampaignId(e.id, "experiment.id"); !s.ok()) {
    return s;
  }
  if (e.name.size() > 200) return Invalid("experiment.name", "at most 200 bytes");
  const int n = static_cast<int>(e.arms.size());
  if (n < kMinExperimentArms || n > kMaxExperimentArms) {
    return Invalid("experiment.arms",
                   absl::StrCat("an experiment has ", kMinExperimentArms,
                                " to ", kMaxExperimentArms, " arms, got ", n));
  }
  absl::flat_hash_set<std::string> names;
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const ExperimentArm& arm = e.arms[i];
    const std::string field = absl::StrCat("experiment.arms[", i, "]");
    if (absl::Status s = ValidateCampaignId(arm.name, field + ".name");
        !s.ok()) {
      return s;
    }
    if (!names.insert(arm.name).second) {
      return Invalid(field + ".name",
                     absl::StrCat("\"", arm.name, "\" is taken by another arm"));
    }
    if (!(arm.share > 0 && arm.share <= 1)) {
      return Invalid(field + ".share",
                     absl::StrCat("must be in (0, 1], got ", arm.share));
    }
    total += arm.share;
    absl::StatusOr<ArmSettings> settings =
        ParseArmSettings(arm.settings, field + ".settings");
    if (!settings.ok()) return settings.status();
  }
  if (std::abs(total - 1) > kShareTolerance) {
    return Invalid("experiment.arms",
                   absl::StrCat("the arms' shares must sum to 1, got ", total));
  }
  if (!names.contains(e.control_arm)) {
    return Invalid("experiment.control_arm",
                   absl::StrCat(Quote(e.control_arm), " is not one of the arms"));
  }
  if (absl::Status window = ValidateAttributionWindow(
          e.attribution_window_days, "experiment.attribution_window_days");
      !window.ok()) {
    return window;
  }
  if (e.duration_days < 1 || e.duration_days > kMaxExperimentDays) {
    return Invalid("experiment.duration_days",
                   absl::StrCat("must be 1 to ", kMaxExperimentDays,
                                " days, got ", e.duration_days));
  }
  return absl::OkStatus();
}

int ControlArmIndex(const ExperimentDefinition& experiment) {
  for (size_t i = 0; i < experiment.arms.size(); ++i) {
    if (experiment.arms[i].name == experiment.control_arm) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

ExperimentAssigner::ExperimentAssigner(const ExperimentDefinition& experiment)
    : assigner_(AssignmentCampaign(experiment)) {}

int ExperimentAssigner::Assign(absl::string_view customer_id) const {
  return assigner_.Assign(customer_id);
}

std::string ExperimentRecommendationId(absl::string_view experiment_id,
                                       absl::string_view arm) {
  thread_local absl::BitGen generator;
  return absl::StrFormat("%s:%s:%016x", experiment_id, arm,
                         absl::Uniform<uint64_t>(generator));
}

std::optional<ExperimentArmRef> ParseExperimentRecommendationId(
    absl::string_view id) {
  const std::vector<absl::string_view> parts = absl::StrSplit(id, ':');
  if (parts.size() != 3 || parts[2].size() != 16) return std::nullopt;
  if (!ValidateCampaignId(parts[0], "").ok() ||
      !ValidateCampaignId(parts[1], "").ok()) {
    return std::nullopt;
  }
  for (char c : parts[2]) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  return ExperimentArmRef{std::string(parts[0]), std::string(parts[1])};
}

}  // namespace recommender::campaigns
