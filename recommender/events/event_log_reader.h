// Reads the live event log (event_log_format.h) from first record to last:
// at server start to rebuild the live state, and in the trainer so that
// nothing acknowledged is lost to training. Never writes.
//
// A crash while appending can leave the last record of the last segment
// cut short (or zeros after it); it was never acknowledged, so such a torn
// tail is skipped and reported, never misread. A last record that is whole
// but fails its checksum is not what a crash leaves (as in LevelDB's log
// reader): it is damage, like a bad record anywhere else, and DataLoss
// naming the file and byte offset.
//
// Thread-safe: no shared state. Reading while a writer appends is safe: a
// record being written shows up as a torn tail.
#ifndef RECOMMENDER_EVENTS_EVENT_LOG_READER_H_
#define RECOMMENDER_EVENTS_EVENT_LOG_READER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "proto/event_log.pb.h"

namespace recommender::events {

struct EventLogReadSummary {
  int64_t segments = 0;
  int64_t records = 0;
  int64_t events = 0;
  // Sequence of the last record read; 0 for an empty log.
  uint64_t last_sequence = 0;
  // Bytes of whole records, over all segments.
  int64_t valid_bytes = 0;
  // The last segment (0 if none), where appending continues, and how many
  // of its bytes are whole records.
  int64_t last_segment = 0;
  int64_t last_segment_valid_bytes = 0;
  // Bytes after the last whole record of the last segment that were
  // skipped as a torn tail (0 normally).
  int64_t torn_tail_bytes = 0;
};

// Calls `visit` for every record of the log in `dir`, in order; an error
// from `visit` stops the read and is returned. An empty folder is an empty
// log; NotFound if `dir` does not exist. DataLoss (file and offset) for a
// damaged record that is not a torn tail (a whole last record with a bad
// checksum included), a payload that does not parse, or a sequence that
// does not increase.
absl::Status ReadEventLog(
    const std::string& dir,
    const std::function<absl::Status(const LogRecord&)>& visit,
    EventLogReadSummary* summary);

}  // namespace recommender::events

#endif  // RECOMMENDER_EVENTS_EVENT_LOG_READER_H_
