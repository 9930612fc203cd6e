// CampaignManager: everything the server does for segments and campaigns,
// behind one object so that the gRPC handlers stay three steps (convert,
// call, map the status):
//   - segments: the shop's saved segments (a file read at start) and the
//     built-in RFM names; customer facts at a moment over the model and
//     the live events;
//   - campaigns: creation (validated, durable in the campaign log), an
//     export's plan (segment, contact rules, arms and control), the picks
//     of each send and the durable record of sends, opt-outs;
//   - reports: sends from the campaign log, purchases and clicks from the
//     event log and the model, attribution and the statistics;
//   - storefront experiments (experiment_store.h, in the campaign log's
//     folder under experiments/): creation, the one running, exposures
//     and their report from the same events and statistics.
// Without a campaign log folder, segments work and campaign calls are
// FailedPrecondition.
//
// Ownership: owns the campaign store; snapshots and live state are the
// caller's (passed per call). Thread-safe: all methods.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_MANAGER_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_MANAGER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_log_compaction.h"
#include "recommender/campaigns/campaign_planner.h"
#include "recommender/campaigns/campaign_report.h"
#include "recommender/campaigns/campaign_store.h"
#include "recommender/campaigns/contact_policy.h"
#include "recommender/campaigns/experiment_report.h"
#include "recommender/campaigns/experiment_store.h"
#include "recommender/live/live_catalog.h"
#include "recommender/live/live_state.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/segments/segment_library.h"
#include "recommender/segments/segment_selector.h"

namespace recommender::campaigns {

class CampaignManager {
 public:
  struct Options {
    // The campaign log's folder; empty: campaigns are off.
    std::string campaign_log_dir;
    bool campaign_log_sync = true;
    // Saved segments (segment_library.h); empty: the built-in ones only.
    std::string segments_file;
    // The shop's contact-frequency cap.
    ContactRules contact_rules;
    // The live event log, read by reports; empty: reports see the model's
    // purchases only.
    std::string event_log_dir;
    // Customers erased at their request: left out of the campaign and
    // experiment logs (CampaignStore, ExperimentStore). Empty: nobody.
    ErasedCustomerTest erased;
  };

  // Reads the segments file (InvalidArgument naming file and line) and
  // opens the campaign log (its errors).
  static absl::StatusOr<std::unique_ptr<CampaignManager>> Open(
      const Options& options);

  bool campaigns_enabled() const { return store_ != nullptr; }
  const segments::SegmentLibrary& library() const { return library_; }
  const ContactRules& contact_rules() const { return options_.contact_rules; }

  // Parses a segment expression or name; errors start with `field`.
  absl::StatusOr<segments::SegmentExpression> ParseSegment(
      absl::string_view text, absl::string_view field) const;

  // Customer facts, RFM scores and deciles of the model's customers and
  // those of live events (`live`, `catalog` may be null) as of `as_of`.
  // O(purchases); about a second per million customers.
  absl::StatusOr<std::unique_ptr<segments::SegmentSelector>> SelectorAt(
      std::shared_ptr<const ModelSnapshot> model, const LiveState* live,
      const LiveCatalog* catalog, absl::Time as_of) const;

  // Validates (InvalidArgument naming "campaign.<field>") and records a
  // new campaign; AlreadyExists for a taken id.
  absl::StatusOr<StoredCampaign> CreateCampaign(
      const CampaignDefinition& campaign, absl::Time now);
  absl::StatusOr<std::vector<StoredCampaign>> Campaigns() const;

  // One export in progress. While it exists no other export of the same
  // campaign can start (both would plan the same customers).
  struct Export {
    StoredCampaign campaign;
    std::string export_id;
    CampaignPlan plan;
    absl::Time now;
    // Releases the campaign for the next export when the last copy goes.
    std::shared_ptr<void> in_progress;
  };
  // Plans an export of the campaign at `now` over `selector`'s customers
  // (SelectorAt). NotFound for an unknown campaign; FailedPrecondition
  // while another export of it is in progress.
  absl::StatusOr<Export> PlanExport(absl::string_view campaign_id,
                                    const segments::SegmentSelector& selector,
                                    absl::Time now) const;
  // The picks of one send: its arm's, or for the control group what the
  // first arm would have sent. `live` may be null.
  absl::StatusOr<std::vector<Recommendation>> PicksFor(
      const Export& export_run, const Send& send, const ModelSnapshot& model,
      const LiveState* live) const;
  // Durably records sends of the export (with their items set).
  absl::Status RecordSends(const Export& export_run,
                           absl::Span<const Send> sends);
  // Records the export's summary once its sends are recorded.
  absl::StatusOr<ExportSummary> FinishExport(const Export& export_run);

  // The campaign's report as of `now`. NotFound for an unknown campaign;
  // the event log's read errors; InvalidArgument for bad options.
  absl::StatusOr<CampaignReport> Report(absl::string_view campaign_id,
                                        const ModelSnapshot& model,
                                        absl::Time now,
                                        const ReportOptions& options) const;

  // Storefront experiments; null without a campaign log folder.
  ExperimentStore* experiments() const { return experiments_.get(); }
  // FailedPrecondition without a campaign log folder; else as
  // ExperimentStore::Create.
  absl::StatusOr<StoredExperiment> CreateExperiment(
      const ExperimentDefinition& experiment, absl::Time now);
  // The experiment's report as of `now`: its first exposures, the exposed
  // customers' events from the event log and the model. NotFound naming
  // "experiment_id" for an unknown experiment; InvalidArgument for bad
  // options; the event log's read errors.
  absl::StatusOr<ExperimentReport> ReportExperiment(
      absl::string_view experiment_id, const ModelSnapshot& model,
      absl::Time now, const ReportOptions& options) const;

  // Opts customers out of (or back into) campaign mail.
  absl::Status UpdateOptOuts(absl::Span<const std::string> opt_out,
                             absl::Span<const std::string> opt_in,
                             absl::Time now);

  // Right to erasure: drops the customer's sends, exposures and opt-out
  // from memory at once (Options::erased must already say they are
  // erased, so that nothing of theirs is recorded again) ...
  void ForgetCustomer(absl::string_view customer_id);
  // ... and rewrites the campaign and experiment logs' closed segments
  // without erased customers. Nothing to do without a campaign log folder.
  absl::StatusOr<CampaignLogCompactionStats> CompactErased();

 private:
  explicit CampaignManager(Options options) : options_(std::move(options)) {}
  absl::Status RequireCampaigns() const;

  const Options options_;
  segments::SegmentLibrary library_;
  std::unique_ptr<CampaignStore> store_;
  std::unique_ptr<ExperimentStore> experiments_;
  // Campaigns with an export in progress; shared with the Export tokens,
  // which may outlive the manager.
  struct Exporting {
    absl::Mutex mu;
    absl::flat_hash_set<std::string> ids ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<Exporting> exporting_ = std::make_shared<Exporting>();
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_MANAGER_H_
