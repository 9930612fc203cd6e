// The framing of the live event log (docs/event-log.md): the log is a
// folder of segment files events-<8 digits>.log, each a sequence of records
//
//   uint32 masked CRC-32C of (length bytes, payload), little-endian
//   uint32 length of the payload, little-endian
//   payload: a serialized recommender.events.LogGroup (one group commit)
//
// The CRC is masked as in LevelDB so that a payload holding CRCs of its own
// does not weaken the check.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_EVENTS_EVENT_LOG_FORMAT_H_
#define RECOMMENDER_EVENTS_EVENT_LOG_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace recommender::events {

inline constexpr size_t kRecordHeaderBytes = 8;
// Larger payloads are refused by the writer and treated as corrupt by the
// reader.
inline constexpr uint32_t kMaxRecordPayloadBytes = 16 << 20;

// "events-00000042.log" for segment 42.
std::string SegmentFileName(int64_t segment);
// Inverse of SegmentFileName; nullopt for any other name.
std::optional<int64_t> ParseSegmentFileName(absl::string_view name);

// The header and `payload` as they go to disk. `payload` must be 1 to
// kMaxRecordPayloadBytes bytes.
std::string FrameRecord(absl::string_view payload);

// What the bytes at an offset are.
enum class RecordCheck {
  kOk,           // A whole record with a matching checksum.
  kTruncated,    // The header, or the payload its length announces, runs
                 // past the end of the data: what a crash in mid-write leaves.
  kBadLength,    // A whole header whose length is 0 or above the maximum.
  kBadChecksum,  // A whole record whose checksum does not match: damage.
};

struct FramedRecord {
  RecordCheck check = RecordCheck::kTruncated;
  // The payload (a view into the data) when check is kOk.
  absl::string_view payload;
};

// Checks the record that starts at `offset` of `data`.
FramedRecord CheckFramedRecord(absl::string_view data, size_t offset);

// The payload of the record at `offset` if CheckFramedRecord finds it whole
// and intact; nullopt otherwise.
std::optional<absl::string_view> ReadFramedRecord(absl::string_view data,
                                                  size_t offset);

}  // namespace recommender::events

#endif  // RECOMMENDER_EVENTS_EVENT_LOG_FORMAT_H_
