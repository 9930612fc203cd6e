// Erasure in the campaign log (campaign_log.h) and the experiment log that
// shares its format: what a customer's right to erasure removes from them.
//
// A campaign log record names customers in three places: a send, an
// opt-out and an experiment exposure. RemoveCustomers drops those of erased
// customers from one record; CompactCampaignLogSegment rewrites a closed
// segment without them. A rewrite keeps every record and its sequence (a
// record may be left with an empty batch), so that a reader sees the same
// numbering and the writer never numbers from lower again. A segment is
// replaced atomically (a new file, fsynced, renamed over the old one): a
// reader sees the old or the new one, and a crash leaves one of them.
//
// Thread-safe: no shared state; the caller keeps two compactions of one
// segment apart (CampaignLogWriter::Compact does).
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_COMPACTION_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_COMPACTION_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/campaigns/campaign_log.pb.h"

namespace recommender::campaigns {

// True for a customer whose data must go (erased at their request).
using ErasedCustomerTest = std::function<bool(absl::string_view customer_id)>;

// Removes from `record` the sends, opt-outs and exposures of customers for
// whom `erased` is true; returns how many it removed. Other entries
// (campaign and experiment definitions, export summaries) name no customer
// and stay as they are.
int64_t RemoveCustomers(const ErasedCustomerTest& erased,
                        CampaignLogRecord* record);

struct CampaignLogCompactionStats {
  int64_t segments_read = 0;
  int64_t segments_rewritten = 0;
  // Sends, opt-outs and exposures removed.
  int64_t entries_removed = 0;
  // Sizes of the segments read, before and after.
  int64_t bytes_before = 0;
  int64_t bytes_after = 0;
};

// Removes erased customers from the closed segment at `path` and replaces
// it if anything was removed; adds to `stats`. DataLoss naming the file
// and byte offset for a damaged record (a closed segment has no torn
// tail); errors of the file system otherwise.
absl::Status CompactCampaignLogSegment(const std::string& path,
                                       const ErasedCustomerTest& erased,
                                       CampaignLogCompactionStats* stats);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_COMPACTION_H_
