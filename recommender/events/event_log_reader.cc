#include "recommender/events/event_log_reader.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "recommender/events/event_log_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::events {
namespace {

// True if a whole record with a good checksum starts anywhere after
// `offset`: then the damage at `offset` is not a torn tail.
bool ValidRecordFollows(absl::string_view data, size_t offset) {
  for (size_t p = offset + 1; p + kRecordHeaderBytes <= data.size(); ++p) {
    if (ReadFramedRecord(data, p).has_value()) return true;
  }
  return false;
}

bool AllZero(absl::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](char c) { return c == '\0'; });
}

// Whether the bad bytes at `offset` of the last segment are a torn tail
// (never acknowledged: skip them) or damage (DataLoss). A crash in
// mid-write leaves a record cut short, or zeros where the file system had
// extended the file but not yet written it. A whole record whose checksum
// does not match was written completely, so it may have been acknowledged:
// like LevelDB's log reader, call that corruption, not a torn write.
absl::Status CheckTail(const std::string& path, absl::string_view data,
                       size_t offset, RecordCheck check) {
  if (check == RecordCheck::kTruncated || AllZero(data.substr(offset))) {
    return absl::OkStatus();
  }
  return absl::DataLossError(absl::StrCat(
      path, ": the last record, at byte ", offset, " (", data.size() - offset,
      " bytes), is whole but its ",
      check == RecordCheck::kBadLength ? "length is impossible"
                                       : "checksum does not match",
      ": damage, not a crash in mid-write, and its events may have been "
      "acknowledged. Restore the file from a copy, or truncate it to ",
      offset, " bytes to give up that record"));
}

absl::StatusOr<std::vector<int64_t>> ListSegments(const std::string& dir) {
  if (!PathExists(dir)) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": event log folder does not exist"));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir));
  std::vector<int64_t> segments;
  for (const std::string& name : names) {
    if (std::optional<int64_t> segment = ParseSegmentFileName(name)) {
      segments.push_back(*segment);
    }
  }
  std::sort(segments.begin(), segments.end());
  return segments;
}

}  // namespace

absl::Status ReadEventLog(
    const std::string& dir,
    const std::function<absl::Status(const LogRecord&)>& visit,
    EventLogReadSummary* summary) {
  *summary = EventLogReadSummary();
  ASSIGN_OR_RETURN(std::vector<int64_t> segments, ListSegments(dir));
  for (size_t s = 0; s < segments.size(); ++s) {
    const bool last_segment = s + 1 == segments.size();
    const std::string path = JoinPath(dir, SegmentFileName(segments[s]));
    ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
    size_t offset = 0;
    while (offset < data.size()) {
      const FramedRecord framed = CheckFramedRecord(data, offset);
      if (framed.check != RecordCheck::kOk) {
        if (!last_segment || ValidRecordFollows(data, offset)) {
          return absl::DataLossError(absl::StrCat(
              path, ": damaged record at byte ", offset,
              " (bad length or checksum) followed by more data"));
        }
        RETURN_IF_ERROR(CheckTail(path, data, offset, framed.check));
        summary->torn_tail_bytes = static_cast<int64_t>(data.size() - offset);
        break;
      }
      const absl::string_view payload = framed.payload;
      LogGroup group;
      if (!group.ParseFromArray(payload.data(),
                                static_cast<int>(payload.size()))) {
        return absl::DataLossError(absl::StrCat(
            path, ": record at byte ", offset, " has a good checksum but does "
            "not parse"));
      }
      for (const LogRecord& record : group.records()) {
        if (record.sequence() <= summary->last_sequence) {
          return absl::DataLossError(absl::StrCat(
              path, ": record at byte ", offset, " has sequence ",
              record.sequence(), ", not after ", summary->last_sequence));
        }
        RETURN_IF_ERROR(visit(record));
        summary->last_sequence = record.sequence();
        ++summary->records;
        summary->events += record.events_size();
      }
      offset += kRecordHeaderBytes + payload.size();
    }
    ++summary->segments;
    summary->valid_bytes += static_cast<int64_t>(offset);
    summary->last_segment = segments[s];
    summary->last_segment_valid_bytes = static_cast<int64_t>(offset);
  }
  return absl::OkStatus();
}

}  // namespace recommender::events
