#include "serving/experiment_rpcs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "recommender/util/time_util.h"
#include "serving/campaign_conversions.h"
#include "serving/json_log.h"

namespace recommender::serving {
namespace {

constexpr int kDefaultDays = 14;

}  // namespace

campaigns::ExperimentDefinition FromProto(const v1::Experiment& experiment) {
  campaigns::ExperimentDefinition out;
  out.id = experiment.experiment_id();
  out.name = experiment.name();
  for (const v1::ExperimentArm& arm : experiment.arms()) {
    campaigns::ExperimentArm a;
    a.name = arm.name();
    a.share = arm.share();
    a.settings.insert(arm.settings().begin(), arm.settings().end());
    out.arms.push_back(std::move(a));
  }
  out.control_arm = experiment.control_arm();
  if (out.control_arm.empty() && !out.arms.empty()) {
    out.control_arm = out.arms[0].name;
  }
  out.attribution_window_days = experiment.attribution_window_days() == 0
                                    ? kDefaultDays
                                    : experiment.attribution_window_days();
  out.duration_days = experiment.duration_days() == 0
                          ? kDefaultDays
                          : experiment.duration_days();
  return out;
}

void ToProto(const campaigns::StoredExperiment& stored, v1::Experiment* out) {
  const campaigns::ExperimentDefinition& e = stored.definition;
  out->set_experiment_id(e.id);
  out->set_name(e.name);
  for (const campaigns::ExperimentArm& arm : e.arms) {
    v1::ExperimentArm* a = out->add_arms();
    a->set_name(arm.name);
    a->set_share(arm.share);
    a->mutable_settings()->insert(arm.settings.begin(), arm.settings.end());
  }
  out->set_control_arm(e.control_arm);
  out->set_attribution_window_days(e.attribution_window_days);
  out->set_duration_days(e.duration_days);
  out->set_created_at(FormatRfc3339Utc(stored.created));
  out->set_ends_at(FormatRfc3339Utc(stored.ends));
  out->set_exposed_customers(stored.exposed_customers);
}

void ToProto(const campaigns::ExperimentReport& report,
             v1::ExperimentReport* out) {
  // The campaign report's conversion, then its groups in the experiment's
  // order.
  v1::CampaignReport campaign;
  ToProto(report.report, &campaign);
  out->set_experiment_id(campaign.campaign_id());
  out->set_experiment_name(campaign.campaign_name());
  out->set_control_arm(report.control_arm);
  out->set_attribution_window_days(campaign.attribution_window_days());
  out->set_confidence(campaign.confidence());
  out->set_revenue_method(campaign.revenue_method());
  out->set_exposures_with_open_window(campaign.sends_with_open_window());
  out->set_purchases_attributed(campaign.purchases_attributed());
  for (const campaigns::GroupFigures& arm : report.arms) {
    const v1::CampaignGroup* group = &campaign.control();
    for (const v1::CampaignGroup& g : campaign.arms()) {
      if (g.name() == arm.name) group = &g;
    }
    *out->add_arms() = *group;
  }
  *out->mutable_comparisons() = campaign.comparisons();
  out->set_text(campaigns::FormatExperimentReport(report));
}

absl::Status ExperimentRpcs::RequireManager() const {
  if (manager_ != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "experiments are off: start the server with --campaign_log_dir");
}

absl::Status ExperimentRpcs::CreateExperiment(
    const v1::CreateExperimentRequest& request, absl::Time now,
    v1::Experiment* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  absl::StatusOr<campaigns::StoredExperiment> created =
      manager_->CreateExperiment(FromProto(request.experiment()), now);
  if (!created.ok()) return created.status();
  ToProto(*created, response);
  return absl::OkStatus();
}

absl::Status ExperimentRpcs::ListExperiments(
    v1::ListExperimentsResponse* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  if (manager_->experiments() == nullptr) return absl::OkStatus();
  for (const campaigns::StoredExperiment& e : manager_->experiments()->List()) {
    ToProto(e, response->add_experiments());
  }
  return absl::OkStatus();
}

absl::Status ExperimentRpcs::GetExperimentReport(
    const ModelSnapshot& model, const v1::GetExperimentReportRequest& request,
    absl::Time now, v1::ExperimentReport* response) const {
  if (absl::Status on = RequireManager(); !on.ok()) return on;
  const campaigns::ReportOptions options = ReportOptionsFromProto(
      request.confidence(), request.bootstrap_revenue(),
      request.bootstrap_seed());
  absl::StatusOr<campaigns::ExperimentReport> report =
      manager_->ReportExperiment(request.experiment_id(), model, now, options);
  if (!report.ok()) return report.status();
  ToProto(*report, response);
  response->set_model_version(model.version());
  return absl::OkStatus();
}

std::optional<ExperimentRpcs::Served> ExperimentRpcs::Assign(
    const std::string& customer_id, absl::Time now, RecommendQuery* query,
    const ModelSnapshot* model) const {
  if (manager_ == nullptr || manager_->experiments() == nullptr ||
      customer_id.empty()) {
    return std::nullopt;
  }
  std::shared_ptr<const campaigns::RunningExperiment> running =
      manager_->experiments()->RunningAt(now);
  if (running == nullptr) return std::nullopt;
  Served served{running, running->assigner.Assign(customer_id)};
  campaigns::ApplyArmSettings(running->settings[served.arm], model, query);
  return served;
}

void ExperimentRpcs::Expose(const Served& served, const std::string& customer_id,
                            absl::Time now,
                            v1::RecommendResponse* response) const {
  const campaigns::ExperimentDefinition& e =
      served.experiment->stored.definition;
  const std::string& arm = e.arms[served.arm].name;
  std::vector<std::string> items;
  for (const v1::RecommendedItem& item : response->items()) {
    items.push_back(item.item_id());
  }
  if (absl::Status recorded = manager_->experiments()->RecordExposure(
          *served.experiment, customer_id, served.arm, now, std::move(items));
      !recorded.ok()) {
    LogError("experiment exposure not recorded",
             {{"experiment", e.id}, {"error", std::string(recorded.message())}});
    return;
  }
  response->set_experiment_id(e.id);
  response->set_experiment_arm(arm);
  response->set_recommendation_id(
      campaigns::ExperimentRecommendationId(e.id, arm));
}

}  // namespace recommender::serving
