// The campaign log: a folder of segment files campaigns-<8 digits>.log
// holding CampaignLogRecords (proto/campaigns/campaign_log.proto) in the
// live event log's framing (recommender/events/event_log_format.h: masked
// CRC-32C, length, payload). Campaign definitions, every export's sends
// and held-back customers, export summaries and opt-outs go here, so that
// a campaign's report survives restarts and training can read who was
// sent what.
//
// Appends are durable when Append returns (fdatasync). A crash can leave
// the last record torn; Open cuts it off (it was never acknowledged), and
// the reader skips and reports it. Damage anywhere else is DataLoss naming
// the file and byte offset. One writer per folder (an exclusive lock on
// DIR/LOCK for the writer's lifetime).
//
// Thread-safe: Append and stats() from any thread (appends are serialized;
// exports write batches of many sends per record). Reading while a writer
// appends is safe. Compact rewrites closed segments without the customers
// erased at their request (campaign_log_compaction.h).
#ifndef RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_H_
#define RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "proto/campaigns/campaign_log.pb.h"
#include "recommender/campaigns/campaign_log_compaction.h"

namespace recommender::campaigns {

// "campaigns-00000042.log" for segment 42, and back (nullopt for any other
// name).
std::string CampaignLogSegmentName(int64_t segment);
std::optional<int64_t> ParseCampaignLogSegmentName(absl::string_view name);

struct CampaignLogReadSummary {
  int64_t segments = 0;
  int64_t records = 0;
  uint64_t last_sequence = 0;
  int64_t valid_bytes = 0;
  // Where appending continues: the last segment and its whole-record bytes.
  int64_t last_segment = 0;
  int64_t last_segment_valid_bytes = 0;
  // Bytes of a torn last record that were skipped (0 normally).
  int64_t torn_tail_bytes = 0;
};

using CampaignLogVisitor =
    std::function<absl::Status(const CampaignLogRecord& record)>;

// Calls `visit` for every record of the log in `dir`, in order; an error
// from `visit` stops the read and is returned. An empty folder is an empty
// log; NotFound if `dir` does not exist; DataLoss as above.
absl::Status ReadCampaignLog(const std::string& dir,
                             const CampaignLogVisitor& visit,
                             CampaignLogReadSummary* summary);

class CampaignLogWriter {
 public:
  struct Options {
    // A new segment starts once the current one reaches this size.
    int64_t segment_bytes = 64 << 20;
    // fdatasync every append. Turn off only to measure its cost.
    bool sync = true;
  };

  // Opens (creating if needed) the log in `dir`, replaying every record
  // through `replay` (may be empty) and cutting off a torn tail.
  // FailedPrecondition if another process holds the folder.
  static absl::StatusOr<std::unique_ptr<CampaignLogWriter>> Open(
      const std::string& dir, const Options& options,
      const CampaignLogVisitor& replay, CampaignLogReadSummary* recovered);

  ~CampaignLogWriter();
  CampaignLogWriter(const CampaignLogWriter&) = delete;
  CampaignLogWriter& operator=(const CampaignLogWriter&) = delete;

  // Sets the record's sequence and append time, appends it and returns
  // the sequence once it is on disk. InvalidArgument for a record with no
  // entry or larger than the framing allows; after a failed write every
  // later call fails too (the log must be reopened).
  absl::StatusOr<uint64_t> Append(CampaignLogRecord record);

  // Starts a new segment if the current one holds records (so that all of
  // them can be compacted), then removes erased customers from every
  // earlier segment (CompactCampaignLogSegment). Appends go on meanwhile;
  // one Compact runs at a time. Stops at the first segment that fails.
  absl::StatusOr<CampaignLogCompactionStats> Compact(
      const ErasedCustomerTest& erased);

  uint64_t last_sequence() const;
  int64_t bytes() const;

 private:
  CampaignLogWriter(std::string dir, Options options, int lock_fd);
  absl::Status OpenSegment(int64_t segment, int64_t existing_bytes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string dir_;
  const Options options_;
  const int lock_fd_;
  // Held by Compact throughout.
  absl::Mutex compact_mu_;

  mutable absl::Mutex mu_;
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
  int fd_ ABSL_GUARDED_BY(mu_) = -1;
  int64_t segment_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t segment_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t closed_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
};

// Opens the writer of a store kept in memory over the log in `dir`: every
// record is replayed through `apply` with the entries of erased customers
// removed first (RemoveCustomers; `erased` may be empty). Errors as Open.
absl::StatusOr<std::unique_ptr<CampaignLogWriter>> OpenCampaignLogForStore(
    const std::string& dir, const CampaignLogWriter::Options& options,
    const ErasedCustomerTest& erased, const CampaignLogVisitor& apply);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_CAMPAIGN_LOG_H_
