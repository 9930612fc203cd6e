// Compaction of the event log's closed segments: rewrites a segment without
// the events erased customers left behind (right to erasure) and, by policy,
// without the events and items a model in service was trained on. The
// writer (event_log_writer.h) calls it on segments it no longer appends to.
//
// What a rewrite always keeps: tombstones (erased_customers), so that the
// trainer and later replays still know who was erased, and every segment's
// last sequence (its last record stays, emptied if need be), so that the
// log never numbers from lower again. A segment is replaced atomically (a
// new file, fsynced, renamed over the old one): a reader sees the old or the
// new one, and a crash leaves one of them.
//
// Thread-safe: no shared state; the caller keeps two compactions of one
// segment apart.
#ifndef RECOMMENDER_EVENTS_EVENT_LOG_COMPACTION_H_
#define RECOMMENDER_EVENTS_EVENT_LOG_COMPACTION_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "proto/event_log.pb.h"

namespace recommender::events {

struct CompactionRules {
  // Events for which this is true are dropped (e.g. an erased customer's).
  // Unset: none.
  std::function<bool(const LoggedEvent&)> drop_event;
  // Records with a sequence up to this lose their events and items (a
  // model trained through it is in service); 0 keeps them.
  uint64_t drop_through_sequence = 0;
};

struct CompactionStats {
  int64_t segments_read = 0;
  int64_t segments_rewritten = 0;
  int64_t events_dropped = 0;
  int64_t items_dropped = 0;
  // Sizes of the segments read, before and after.
  int64_t bytes_before = 0;
  int64_t bytes_after = 0;
};

// Applies `rules` to the closed segment at `path` and replaces it if
// anything was dropped; adds to `stats`. DataLoss for a damaged record (a
// closed segment has no torn tail), errors of the file system otherwise.
absl::Status CompactSegment(const std::string& path,
                            const CompactionRules& rules,
                            CompactionStats* stats);

}  // namespace recommender::events

#endif  // RECOMMENDER_EVENTS_EVENT_LOG_COMPACTION_H_
