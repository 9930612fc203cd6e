#include "recommender/campaigns/campaign_manager.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "recommender/campaigns/arm_assignment.h"
#include "recommender/campaigns/attribution.h"
#include "recommender/campaigns/campaign_events.h"
#include "recommender/campaigns/campaign_picks.h"
#include "recommender/live/live_context.h"
#include "recommender/segments/live_activity.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::campaigns {

absl::StatusOr<std::unique_ptr<CampaignManager>> CampaignManager::Open(
    const Options& options) {
  if (absl::Status rules = ValidateContactRules(options.contact_rules);
      !rules.ok()) {
    return rules;
  }
  std::unique_ptr<CampaignManager> manager(new CampaignManager(options));
  if (!options.segments_file.empty()) {
    absl::StatusOr<segments::SegmentLibrary> library =
        segments::SegmentLibrary::Load(options.segments_file);
    if (!library.ok()) return library.status();
    manager->library_ = *std::move(library);
  }
  if (!options.campaign_log_dir.empty()) {
    CampaignLogWriter::Options log;
    log.sync = options.campaign_log_sync;
    absl::StatusOr<std::unique_ptr<CampaignStore>> store =
        CampaignStore::Open(options.campaign_log_dir, log, options.erased);
    if (!store.ok()) return store.status();
    manager->store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<ExperimentStore>> experiments =
        ExperimentStore::Open(
            JoinPath(options.campaign_log_dir, kExperimentsFolder), log,
            options.erased);
    if (!experiments.ok()) return experiments.status();
    manager->experiments_ = *std::move(experiments);
  }
  return manager;
}

absl::Status CampaignManager::RequireCampaigns() const {
  if (store_ != nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "campaigns are off: start the server with --campaign_log_dir");
}

absl::StatusOr<segments::SegmentExpression> CampaignManager::ParseSegment(
    absl::string_view text, absl::string_view field) const {
  return library_.Resolve(text, field);
}

absl::StatusOr<std::unique_ptr<segments::SegmentSelector>>
CampaignManager::SelectorAt(std::shared_ptr<const ModelSnapshot> model,
                            const LiveState* live, const LiveCatalog* catalog,
                            absl::Time as_of) const {
  std::vector<segments::LaterActivity> later;
  if (live != nullptr) later = segments::LiveActivity(*model, *live, catalog);
  segments::CustomerFactsOptions options;
  options.as_of = as_of;
  absl::StatusOr<std::unique_ptr<const segments::CustomerFacts>> facts =
      segments::CustomerFacts::Build(std::move(model), options, later);
  if (!facts.ok()) return facts.status();
  return std::make_unique<segments::SegmentSelector>(
      std::shared_ptr<const segments::CustomerFacts>(*std::move(facts)));
}

absl::StatusOr<StoredCampaign> CampaignManager::CreateCampaign(
    const CampaignDefinition& campaign, absl::Time now) {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  absl::StatusOr<segments::SegmentExpression> segment =
      ValidateCampaign(campaign, library_);
  if (!segment.ok()) return segment.status();
  if (absl::Status created = store_->CreateCampaign(
          campaign, segments::FormatSegmentExpression(*segment), now);
      !created.ok()) {
    return created;
  }
  return *store_->FindCampaign(campaign.id);
}

absl::StatusOr<std::vector<StoredCampaign>> CampaignManager::Campaigns() const {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  return store_->Campaigns();
}

absl::StatusOr<CampaignManager::Export> CampaignManager::PlanExport(
    absl::string_view campaign_id, const segments::SegmentSelector& selector,
    absl::Time now) const {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  std::optional<StoredCampaign> campaign = store_->FindCampaign(campaign_id);
  if (!campaign.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("campaign_id: unknown campaign \"", campaign_id, "\""));
  }
  {
    absl::MutexLock lock(&exporting_->mu);
    if (!exporting_->ids.insert(campaign->definition.id).second) {
      return absl::FailedPreconditionError(absl::StrCat(
          "campaign_id: an export of campaign \"", campaign_id,
          "\" is in progress"));
    }
  }
  std::shared_ptr<void> in_progress(
      nullptr, [exporting = exporting_, id = campaign->definition.id](void*) {
        absl::MutexLock lock(&exporting->mu);
        exporting->ids.erase(id);
      });
  // The audience as defined at creation, saved names already inlined.
  absl::StatusOr<segments::SegmentExpression> segment =
      segments::ParseSegmentExpression(campaign->resolved_segment,
                                       "campaign.segment");
  if (!segment.ok()) return segment.status();
  absl::StatusOr<CampaignPlan> plan =
      PlanCampaign(campaign->definition, *segment, selector,
                   options_.contact_rules, *store_, now);
  if (!plan.ok()) return plan.status();
  Export run;
  run.export_id = absl::StrCat("export-", campaign->exports.size() + 1, "-",
                               absl::ToUnixSeconds(now));
  run.campaign = *std::move(campaign);
  run.plan = *std::move(plan);
  run.now = now;
  run.in_progress = std::move(in_progress);
  return run;
}

absl::StatusOr<std::vector<Recommendation>> CampaignManager::PicksFor(
    const Export& export_run, const Send& send, const ModelSnapshot& model,
    const LiveState* live) const {
  const CampaignDefinition& campaign = export_run.campaign.definition;
  const CampaignArm& arm =
      campaign.arms[send.arm == ArmAssigner::kControl ? 0 : send.arm];
  const RecommendQuery query =
      ArmQuery(campaign, arm, send.customer_id, export_run.now);
  const LiveContext context = BuildLiveContext(model, live, query);
  return PickItems(model, campaign, arm, send.customer_id, export_run.now,
                   context);
}

absl::Status CampaignManager::RecordSends(const Export& export_run,
                                          absl::Span<const Send> sends) {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  return store_->RecordSends(export_run.campaign.definition.id,
                             export_run.export_id, sends);
}

absl::StatusOr<ExportSummary> CampaignManager::FinishExport(
    const Export& export_run) {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  const ExportSummary summary =
      SummarizePlan(export_run.plan, export_run.campaign.definition.id,
                    export_run.export_id, options_.contact_rules, export_run.now);
  if (absl::Status recorded = store_->RecordExport(summary); !recorded.ok()) {
    return recorded;
  }
  return summary;
}

absl::StatusOr<CampaignReport> CampaignManager::Report(
    absl::string_view campaign_id, const ModelSnapshot& model, absl::Time now,
    const ReportOptions& options) const {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  std::optional<StoredCampaign> campaign = store_->FindCampaign(campaign_id);
  if (!campaign.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("campaign_id: unknown campaign \"", campaign_id, "\""));
  }
  absl::StatusOr<std::vector<Send>> sends = store_->SendsOf(campaign_id);
  if (!sends.ok()) return sends.status();
  absl::flat_hash_set<std::string> customers;
  int64_t since = absl::ToUnixSeconds(now);
  for (const Send& send : *sends) {
    customers.insert(send.customer_id);
    since = std::min(since, send.unix_seconds);
  }
  absl::StatusOr<std::vector<CustomerEvent>> events = CollectCampaignEvents(
      model, options_.event_log_dir, customers, since, absl::ToUnixSeconds(now));
  if (!events.ok()) return events.status();
  const Attribution attribution =
      AttributePurchases(campaign_id, *sends, *events,
                         campaign->definition.attribution_window_days, now);
  return BuildCampaignReport(campaign->definition, attribution, options);
}

absl::StatusOr<StoredExperiment> CampaignManager::CreateExperiment(
    const ExperimentDefinition& experiment, absl::Time now) {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  return experiments_->Create(experiment, now);
}

absl::StatusOr<ExperimentReport> CampaignManager::ReportExperiment(
    absl::string_view experiment_id, const ModelSnapshot& model,
    absl::Time now, const ReportOptions& options) const {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  std::optional<StoredExperiment> experiment = experiments_->Find(experiment_id);
  if (!experiment.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "experiment_id: unknown experiment \"", experiment_id, "\""));
  }
  absl::StatusOr<std::vector<Send>> exposures =
      experiments_->ExposuresOf(experiment_id);
  if (!exposures.ok()) return exposures.status();
  absl::flat_hash_set<std::string> customers;
  int64_t since = absl::ToUnixSeconds(now);
  for (const Send& exposure : *exposures) {
    customers.insert(exposure.customer_id);
    since = std::min(since, exposure.unix_seconds);
  }
  absl::StatusOr<std::vector<CustomerEvent>> events = CollectCampaignEvents(
      model, options_.event_log_dir, customers, since, absl::ToUnixSeconds(now));
  if (!events.ok()) return events.status();
  return BuildExperimentReport(experiment->definition, *exposures, *events,
                               now, options);
}

absl::Status CampaignManager::UpdateOptOuts(absl::Span<const std::string> opt_out,
                                            absl::Span<const std::string> opt_in,
                                            absl::Time now) {
  if (absl::Status on = RequireCampaigns(); !on.ok()) return on;
  if (absl::Status out = store_->SetOptOut(opt_out, true, now); !out.ok()) {
    return out;
  }
  return store_->SetOptOut(opt_in, false, now);
}

void CampaignManager::ForgetCustomer(absl::string_view customer_id) {
  if (store_ == nullptr) return;
  store_->ForgetCustomer(customer_id);
  experiments_->ForgetCustomer(customer_id);
}

absl::StatusOr<CampaignLogCompactionStats> CampaignManager::CompactErased() {
  if (store_ == nullptr) return CampaignLogCompactionStats();
  ASSIGN_OR_RETURN(CampaignLogCompactionStats stats, store_->CompactErased());
  ASSIGN_OR_RETURN(CampaignLogCompactionStats experiments,
                   experiments_->CompactErased());
  stats.segments_read += experiments.segments_read;
  stats.segments_rewritten += experiments.segments_rewritten;
  stats.entries_removed += experiments.entries_removed;
  stats.bytes_before += experiments.bytes_before;
  stats.bytes_after += experiments.bytes_after;
  return stats;
}

}  // namespace recommender::campaigns
