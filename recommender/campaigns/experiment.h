// A storefront experiment: an online A/B split of live Recommend traffic
// between arms, each a named variant of Recommend's settings (e.g. the
// due-consumable stage on vs off, a per-category cap), with one arm the
// control the others are measured against. Customers are assigned by a
// hash of the experiment id and the customer id, so a customer sees the
// same arm on every call, after restarts and on every server; anonymous
// visitors are not assigned.
//
//   u = Mix64(FNV-1a-64("experiment:" + experiment id, 0x00, customer id))
//       / 2^64; the arm whose cumulative share covers u
//
// (ArmAssigner with no control share and the shares as weights; the
// "experiment:" prefix keeps the split independent of a campaign with the
// same id.) A response an experiment served carries the recommendation id
// "<experiment id>:<arm>:<16 hex digits>", so that a click or purchase
// sent back with it names its experiment and arm.
//
// Thread-safe: plain data and pure functions; ExperimentAssigner is
// immutable after construction.
#ifndef RECOMMENDER_CAMPAIGNS_EXPERIMENT_H_
#define RECOMMENDER_CAMPAIGNS_EXPERIMENT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/ranking/repurchase_adjuster.h"

namespace recommender::campaigns {

inline constexpr int kMinExperimentArms = 2;
inline constexpr int kMaxExperimentArms = 10;
inline constexpr int kMaxExperimentDays = 365;
// How far the shares may be off 1 (rounding in a client's decimals).
inline constexpr double kShareTolerance = 1e-6;

// The settings an arm may override, by name (the API's map keys):
//   max_per_category        integer 0-100 (0: no cap)
//   exclude_purchased       true/false
//   repurchase              on/off (the due-consumable stage)
//   repurchase_boost_weight number 0-100
//   in_stock_only           true/false
struct ArmSettings {
  std::optional<int> max_per_category;
  std::optional<bool> exclude_purchased;
  std::optional<bool> repurchase;
  std::optional<double> repurchase_boost_weight;
  std::optional<bool> in_stock_only;
};

// The setting names above, in that order.
const std::vector<std::string>& ArmSettingNames();

// Parses an arm's settings. InvalidArgument starting with `field` and the
// setting's name for an unknown setting ("...settings: unknown setting
// \"foo\" (known: ...)") or a bad value ("...settings.repurchase: ...").
absl::StatusOr<ArmSettings> ParseArmSettings(
    const std::map<std::string, std::string>& settings,
    absl::string_view field);

// Applies the arm's settings to a Recommend query (settings left unset
// keep the request's). A repurchase setting changes the options the query
// would rank with: its own, else `model`'s (SnapshotRepurchaseOptions),
// else the defaults when `model` is null.
void ApplyArmSettings(const ArmSettings& settings, const ModelSnapshot* model,
                      RecommendQuery* query);

struct ExperimentArm {
  // 1 to 64 of a-z, 0-9, '_', '-'; unique within the experiment.
  std::string name;
  // In (0, 1]; the arms' shares sum to 1.
  double share = 0;
  // As sent; ParseArmSettings checks them.
  std::map<std::string, std::string> settings;
};

struct ExperimentDefinition {
  // 1 to 64 of a-z, 0-9, '_', '-' (ValidateCampaignId's rules).
  std::string id;
  // For people; at most 200 bytes.
  std::string name;
  // kMinExperimentArms to kMaxExperimentArms.
  std::vector<ExperimentArm> arms;
  // The name of one of the arms; the others are compared with it.
  std::string control_arm;
  // Purchases this many days after a customer's first exposure count.
  int attribution_window_days = 14;
  // The experiment serves for this many days from its creation.
  int duration_days = 14;
};

// Checks every field. InvalidArgument whose message starts with the field:
// "experiment.id: ...", "experiment.arms: ...", "experiment.arms[1].name:
// must be 1 to 64 characters, got 0", "experiment.arms: the shares must
// sum to 1, got 0.9", "experiment.arms[0].settings: unknown setting ...",
// "experiment.control_arm: ...", "experiment.attribution_window_days: ...",
// "experiment.duration_days: ...".
absl::Status ValidateExperiment(const ExperimentDefinition& experiment);

// The index of the control arm of a validated experiment.
int ControlArmIndex(const ExperimentDefinition& experiment);

class ExperimentAssigner {
 public:
  // `experiment` must have passed ValidateExperiment.
  explicit ExperimentAssigner(const ExperimentDefinition& experiment);

  // The index of the customer's arm; `customer_id` must not be empty.
  int Assign(absl::string_view customer_id) const;

 private:
  ArmAssigner assigner_;
};

// "<experiment id>:<arm>:<16 hex digits>" with random digits: unique per
// response, naming experiment and arm.
std::string ExperimentRecommendationId(absl::string_view experiment_id,
                                       absl::string_view arm);

// The experiment and arm of an id made above; nullopt for any other id
// (a campaign's, a plain response's).
struct ExperimentArmRef {
  std::string experiment_id;
  std::string arm;
};
std::optional<ExperimentArmRef> ParseExperimentRecommendationId(
    absl::string_view id);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_EXPERIMENT_H_
