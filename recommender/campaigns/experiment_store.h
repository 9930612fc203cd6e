// ExperimentStore: the storefront experiments a shop has created and who
// was exposed to which arm, in memory over a durable log of their own
// (CAMPAIGN_LOG_DIR/experiments/, the campaign log's format and framing:
// campaign_log.h, records ExperimentDefinitionRecord and ExposureBatch).
//
// Promises:
//   - a created experiment and every recorded exposure are on disk
//     (fdatasync) before the call returns, and Open replays them, so
//     reports survive restarts;
//   - only a customer's first exposure to an experiment is recorded; later
//     ones cost a hash lookup under a lock, so the cost per Recommend is
//     bounded (at most one append per customer and experiment);
//   - exposures recorded by concurrent callers share one append and one
//     fdatasync (group commit: the first waiting caller writes everything
//     queued, as the event log does);
//   - at most one experiment runs at a moment (arms of two experiments
//     would overwrite each other's settings);
//   - customers erased at their request (campaign_log_compaction.h) are
//     left out: replay skips their exposures, none is recorded for them
//     later, ForgetCustomer drops them from memory at the moment of
//     erasure and CompactErased from the log's files.
//
// Ownership: owns its log writer (one store per folder).
// Thread-safe: all methods.
#ifndef RECOMMENDER_CAMPAIGNS_EXPERIMENT_STORE_H_
#define RECOMMENDER_CAMPAIGNS_EXPERIMENT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "recommender/campaigns/campaign_log.h"
#include "recommender/campaigns/campaign_log_compaction.h"
#include "recommender/campaigns/experiment.h"
#include "recommender/campaigns/send.h"

namespace recommender::campaigns {

// The store's folder inside the campaign log's folder.
inline constexpr char kExperimentsFolder[] = "experiments";

struct StoredExperiment {
  ExperimentDefinition definition;
  absl::Time created;
  // created + duration_days.
  absl::Time ends;
  int64_t exposed_customers = 0;
};

// An experiment that is serving, ready for the request path: its arms'
// settings parsed and its assigner built. Immutable.
struct RunningExperiment {
  StoredExperiment stored;
  ExperimentAssigner assigner;
  // Parallel to stored.definition.arms.
  std::vector<ArmSettings> settings;
  // Position in the store (for RecordExposure).
  size_t index = 0;
};

class ExperimentStore {
 public:
  // Opens (or creates) the log in `dir` and replays it. Errors as for
  // CampaignLogWriter::Open; DataLoss for a record that does not belong
  // (a campaign record, an exposure of an unknown experiment or arm).
  // `erased` may be empty (nobody is erased).
  static absl::StatusOr<std::unique_ptr<ExperimentStore>> Open(
      const std::string& dir,
      const CampaignLogWriter::Options& options = CampaignLogWriter::Options(),
      ErasedCustomerTest erased = nullptr);

  // Validates (ValidateExperiment) and durably records a new experiment
  // starting at `now`. AlreadyExists naming "experiment.id" for a taken
  // id; FailedPrecondition naming the running one if another experiment
  // runs at `now`.
  absl::StatusOr<StoredExperiment> Create(const ExperimentDefinition& experiment,
                                          absl::Time now);

  std::optional<StoredExperiment> Find(absl::string_view id) const;
  // Oldest first.
  std::vector<StoredExperiment> List() const;

  // The experiment serving at `now` (created <= now < ends), or null.
  std::shared_ptr<const RunningExperiment> RunningAt(absl::Time now) const;

  // Records that `customer_id` was served arm `arm` of `experiment` at
  // `now`, if it is their first exposure to it; returns once it is on
  // disk. A later exposure returns at once (the first one counts, arm and
  // time). The log's write error if the append fails (the log is then
  // broken until reopened).
  absl::Status RecordExposure(const RunningExperiment& experiment,
                              absl::string_view customer_id, int arm,
                              absl::Time now,
                              std::vector<std::string> item_ids = {});

  // The experiment's first exposure per customer as sends (arm: index
  // into the experiment's arms; items: what that response showed), in
  // the order recorded.
  // NotFound for an unknown experiment.
  absl::StatusOr<std::vector<Send>> ExposuresOf(absl::string_view id) const;

  // Appends so far (one per group commit of exposures, one per creation).
  int64_t appends() const;

  // Drops `customer_id`'s exposures from memory (reports stop counting
  // them at once).
  void ForgetCustomer(absl::string_view customer_id);
  // Rewrites the log's closed segments without erased customers
  // (CampaignLogWriter::Compact).
  absl::StatusOr<CampaignLogCompactionStats> CompactErased();

 private:
  struct ExperimentState {
    std::shared_ptr<const RunningExperiment> running;
    std::vector<Send> exposures;
    absl::flat_hash_map<std::string, size_t> by_customer;
  };
  struct PendingExposure {
    size_t experiment;
    Send send;
  };

  ExperimentStore() = default;
  absl::Status Apply(const CampaignLogRecord& record)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Adds a first exposure to memory (a repeat is ignored).
  void AddExposure(size_t experiment, Send send)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes every pending exposure (the leader of a group commit); called
  // with mu_ held, releases it while writing.
  void CommitPending() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ErasedCustomerTest erased_;
  std::unique_ptr<CampaignLogWriter> writer_;
  mutable absl::Mutex mu_;
  absl::CondVar committed_;
  std::vector<ExperimentState> experiments_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, size_t> index_ ABSL_GUARDED_BY(mu_);
  // Group commit: exposures waiting for the next append, each with a
  // ticket; everything up to durable_ticket_ has been written.
  std::vector<PendingExposure> pending_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint64_t> pending_tickets_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t durable_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
  int64_t appends_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_EXPERIMENT_STORE_H_
