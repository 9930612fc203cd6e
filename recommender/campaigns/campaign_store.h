// CampaignStore: the campaigns a shop has created and everything sent for
// them, in memory over the durable campaign log (campaign_log.h). It is
// the ledger the contact policy asks (opt-outs, who was contacted when by
// which campaign) and the source of a report's sends.
//
// Every change is appended to the log before it is applied in memory, so
// what the store answers has survived a crash; Open replays the log.
// Within one campaign the first send to a customer counts: a later export
// never changes a customer's group or send time.
//
// Customers erased at their request (campaign_log_compaction.h) are left
// out: replay skips their entries, later sends and opt-outs for them are
// not recorded, ForgetCustomer drops them from memory at the moment of
// erasure and CompactErased from the log's files.
//
// Ownership: owns its log writer (one store per log folder).
// Thread-safe: all methods.
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_STORE_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "recommender/campaigns/campaign.h"
#include "recommender/campaigns/campaign_log.h"
#include "recommender/campaigns/campaign_log_compaction.h"
#include "recommender/campaigns/contact_policy.h"
#include "recommender/campaigns/send.h"

namespace recommender::campaigns {

struct StoredCampaign {
  CampaignDefinition definition;
  // The segment with saved names inlined, canonical, as at creation.
  std::string resolved_segment;
  absl::Time created;
  // Every export's summary, oldest first.
  std::vector<ExportSummary> exports;
  int64_t sends = 0;
};

class CampaignStore : public ContactLedger {
 public:
  // Opens (or creates) the log in `dir` and replays it. Errors as for
  // CampaignLogWriter::Open; DataLoss for a record that does not fit (a
  // send to an unknown campaign or arm).
  // `erased` may be empty (nobody is erased).
  static absl::StatusOr<std::unique_ptr<CampaignStore>> Open(
      const std::string& dir,
      const CampaignLogWriter::Options& options = CampaignLogWriter::Options(),
      ErasedCustomerTest erased = nullptr);

  // Records a new campaign, already validated (ValidateCampaign) with its
  // segment resolved to `resolved_segment`. AlreadyExists naming
  // "campaign.id" if the id is taken.
  absl::Status CreateCampaign(const CampaignDefinition& campaign,
                              const std::string& resolved_segment,
                              absl::Time now);

  std::optional<StoredCampaign> FindCampaign(absl::string_view id) const;
  // Oldest first.
  std::vector<StoredCampaign> Campaigns() const;

  // Durably records sends of one export (in records of at most
  // `kSendsPerRecord`); sends to customers the campaign already has are
  // logged but do not change the first. NotFound for an unknown campaign;
  // InvalidArgument for an arm index out of range.
  absl::Status RecordSends(absl::string_view campaign_id,
                           absl::string_view export_id,
                           absl::Span<const Send> sends);
  static constexpr size_t kSendsPerRecord = 2000;

  absl::Status RecordExport(const ExportSummary& summary);

  // Opts customers out of (or back into) all campaigns.
  absl::Status SetOptOut(absl::Span<const std::string> customer_ids,
                         bool opted_out, absl::Time now);

  // The campaign's first send per customer, in the order recorded.
  // NotFound for an unknown campaign.
  absl::StatusOr<std::vector<Send>> SendsOf(absl::string_view campaign_id) const;

  // ContactLedger.
  bool OptedOut(absl::string_view customer_id) const override;
  bool AlreadySent(absl::string_view campaign_id,
                   absl::string_view customer_id) const override;
  int ContactsWithin(absl::string_view customer_id, int64_t from, int64_t to,
                     absl::string_view except_campaign) const override;

  uint64_t last_sequence() const { return writer_->last_sequence(); }

  // Drops every send, contact and opt-out of `customer_id` from memory
  // (reports and the contact policy stop counting them at once).
  void ForgetCustomer(absl::string_view customer_id);
  // Rewrites the log's closed segments without erased customers
  // (CampaignLogWriter::Compact).
  absl::StatusOr<CampaignLogCompactionStats> CompactErased();

 private:
  struct CampaignState {
    StoredCampaign stored;
    std::vector<Send> sends;
    absl::flat_hash_map<std::string, size_t> by_customer;
  };
  struct Contact {
    int64_t unix_seconds;
    uint32_t campaign;
  };

  CampaignStore() = default;
  // Applies a record (replayed or just appended).
  absl::Status Apply(const CampaignLogRecord& record)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ApplySends(const SendBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ErasedCustomerTest erased_;
  std::unique_ptr<CampaignLogWriter> writer_;
  mutable absl::Mutex mu_;
  std::vector<CampaignState> campaigns_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint32_t> campaign_index_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::vector<Contact>> contacts_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> opted_out_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_STORE_H_
