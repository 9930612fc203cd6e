// EventLogWriter: appends acknowledged live events to the on-disk event log
// (event_log_format.h) so that they survive a crash.
//
// Append returns only once its record is on disk (fdatasync). Concurrent
// appends are committed together — one write and one fdatasync for every
// caller waiting at that moment (group commit, as in LevelDB's log writer)
// — so throughput grows with concurrency while each call still waits for
// its own durability.
//
// Open replays the log and cuts off a torn tail left by a crash, so appends
// always follow the last whole record. One writer per folder: an exclusive
// lock on DIR/LOCK is held for the writer's lifetime. Compact rewrites the
// segments appends are done with (event_log_compaction.h).
//
// Thread-safe: Append and stats() may be called from any thread.
#ifndef RECOMMENDER_EVENTS_EVENT_LOG_WRITER_H_
#define RECOMMENDER_EVENTS_EVENT_LOG_WRITER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/event_log.pb.h"
#include "recommender/events/event_log_compaction.h"
#include "recommender/events/event_log_reader.h"

namespace recommender::events {

class EventLogWriter {
 public:
  struct Options {
    // A new segment file is started once the current one reaches this size.
    int64_t segment_bytes = 64 << 20;
    // Bytes of records one group commit takes at most (a single larger
    // record still goes alone).
    int64_t max_group_bytes = 4 << 20;
    // fdatasync each group commit. Turn off only to measure its cost.
    bool sync = true;
  };

  struct Stats {
    uint64_t last_sequence = 0;
    // Size of the log on disk, all segments.
    int64_t bytes = 0;
    int64_t segments = 0;
    // Appended since Open (not counting replayed records).
    int64_t records_appended = 0;
    int64_t events_appended = 0;
    int64_t group_commits = 0;
  };

  // Opens the log in `dir` (created if missing), calling `replay` for every
  // record already there, in order (an error from `replay` fails the open).
  // `recovered` receives what was read, including any torn tail removed.
  // FailedPrecondition if another process holds the folder's lock; DataLoss
  // as in ReadEventLog.
  static absl::StatusOr<std::unique_ptr<EventLogWriter>> Open(
      const std::string& dir, const Options& options,
      const std::function<absl::Status(const LogRecord&)>& replay,
      EventLogReadSummary* recovered);

  ~EventLogWriter();
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;

  // Appends `record` (its events and items; sequence and append time are
  // set here) and returns its sequence once it is durable. InvalidArgument
  // if it has neither events nor items or serializes to more than kMaxRecordPayloadBytes. After a
  // failed write or sync every later call fails too: what reached the disk
  // is unknown until the log is reopened (which cuts off the torn part).
  absl::StatusOr<uint64_t> Append(LogRecord record);

  // Starts a new segment if the current one holds records (so that all of
  // them can be compacted), then applies `rules` to every earlier segment.
  // Appends go on meanwhile; one Compact runs at a time. Errors of
  // CompactSegment, stopping at the first segment that fails.
  absl::StatusOr<CompactionStats> Compact(const CompactionRules& rules);

  Stats stats() const;

 private:
  struct Pending;

  EventLogWriter(std::string dir, Options options, int lock_fd);

  // Opens segment `segment` for appending; `existing_bytes` is its size.
  absl::Status OpenSegment(int64_t segment, int64_t existing_bytes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes and syncs one framed group; called by the leader without mu_.
  absl::Status WriteGroup(int fd, const std::string& framed);

  const std::string dir_;
  const Options options_;
  const int lock_fd_;
  // Held by Compact throughout.
  absl::Mutex compact_mu_;

  mutable absl::Mutex mu_;
  absl::CondVar changed_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
  int fd_ ABSL_GUARDED_BY(mu_) = -1;
  int64_t segment_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t segment_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t closed_segments_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender::events

#endif  // RECOMMENDER_EVENTS_EVENT_LOG_WRITER_H_
