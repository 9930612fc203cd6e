// Fuzzes the event log's reader (and the writer's recovery on open) with
// arbitrary segment files: whatever the bytes, it returns records or an
// error, never crashes, and an accepted log opens for appending again.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "recommender/events/event_log_format.h"
#include "recommender/events/event_log_reader.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/util/file_util.h"
#include "tests/fuzz/fuzz_target.h"

namespace recommender::fuzz {
namespace {

const std::string& Dir() {
  static const std::string* dir = new std::string(ScratchDir("event-log"));
  return *dir;
}

}  // namespace
}  // namespace recommender::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace recommender;  // NOLINT
  const std::string& dir = fuzz::Dir();
  RemoveAll(dir).IgnoreError();
  CreateDirectories(dir).IgnoreError();
  // Up to two segments, the input cut at its first NUL.
  const std::vector<std::string> segments = fuzz::SplitAtNul(data, size, 2);
  for (size_t s = 0; s < segments.size(); ++s) {
    if (s > 0 && segments[s].empty()) break;
    WriteFileDurably(JoinPath(dir, events::SegmentFileName(s + 1)), segments[s])
        .IgnoreError();
  }
  events::EventLogReadSummary summary;
  int64_t events_seen = 0;
  const absl::Status read = events::ReadEventLog(
      dir,
      [&events_seen](const events::LogRecord& record) {
        events_seen += record.events_size();
        return absl::OkStatus();
      },
      &summary);
  if (!read.ok()) return 0;
  fuzz::FuzzCheck(summary.events == events_seen, "events counted");
  fuzz::FuzzCheck(summary.torn_tail_bytes >= 0 &&
                      summary.last_segment_valid_bytes <= summary.valid_bytes,
                  "summary sizes");
  // What reads cleanly opens for appending (the torn tail cut off).
  events::EventLogWriter::Options options;
  options.sync = false;
  events::EventLogReadSummary recovered;
  auto writer = events::EventLogWriter::Open(
      dir, options, [](const events::LogRecord&) { return absl::OkStatus(); },
      &recovered);
  fuzz::FuzzCheck(writer.ok(), "a log that reads also opens");
  fuzz::FuzzCheck(recovered.last_sequence == summary.last_sequence,
                  "same last sequence");
  return 0;
}
