#include "recommender/events/event_log_compaction.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "recommender/events/event_log_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::events {
namespace {

// Applies `rules` to one record; true if something was dropped.
bool FilterRecord(const CompactionRules& rules, LogRecord* record,
                  CompactionStats* stats) {
  bool changed = false;
  if (record->sequence() <= rules.drop_through_sequence &&
      (record->events_size() > 0 || record->items_size() > 0)) {
    stats->events_dropped += record->events_size();
    stats->items_dropped += record->items_size();
    record->clear_events();
    record->clear_items();
    return true;
  }
  if (rules.drop_event) {
    auto* events = record->mutable_events();
    const int before = events->size();
    int kept = 0;
    for (int i = 0; i < before; ++i) {
      if (rules.drop_event(events->Get(i))) continue;
      if (kept != i) events->SwapElements(kept, i);
      ++kept;
    }
    if (kept < before) {
      events->DeleteSubrange(kept, before - kept);
      stats->events_dropped += before - kept;
      changed = true;
    }
  }
  return changed;
}

bool IsEmpty(const LogRecord& record) {
  return record.events_size() == 0 && record.items_size() == 0 &&
         record.erased_customers_size() == 0;
}

}  // namespace

absl::Status CompactSegment(const std::string& path,
                            const CompactionRules& rules,
                            CompactionStats* stats) {
  ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
  ++stats->segments_read;
  stats->bytes_before += static_cast<int64_t>(data.size());
  std::vector<LogGroup> groups;
  bool changed = false;
  size_t offset = 0;
  while (offset < data.size()) {
    std::optional<absl::string_view> payload = ReadFramedRecord(data, offset);
    LogGroup group;
    if (!payload.has_value() ||
        !group.ParseFromArray(payload->data(),
                              static_cast<int>(payload->size()))) {
      return absl::DataLossError(absl::StrCat(
          path, ": damaged record at byte ", offset, "; not compacted"));
    }
    for (LogRecord& record : *group.mutable_records()) {
      changed |= FilterRecord(rules, &record, stats);
    }
    groups.push_back(std::move(group));
    offset += kRecordHeaderBytes + payload->size();
  }
  if (!changed) {
    stats->bytes_after += static_cast<int64_t>(data.size());
    return absl::OkStatus();
  }
  // Empty records go, except the segment's last one: it carries the
  // highest sequence the segment reached.
  const LogRecord* last = nullptr;
  for (const LogGroup& group : groups) {
    if (group.records_size() > 0) last = &group.records(group.records_size() - 1);
  }
  std::string rewritten;
  for (const LogGroup& group : groups) {
    LogGroup kept;
    for (const LogRecord& record : group.records()) {
      if (IsEmpty(record) && &record != last) continue;
      *kept.add_records() = record;
    }
    if (kept.records_size() > 0) {
      rewritten += FrameRecord(kept.SerializeAsString());
    }
  }
  RETURN_IF_ERROR(ReplaceFileAtomically(path, rewritten, ".compacting"));
  ++stats->segments_rewritten;
  stats->bytes_after += static_cast<int64_t>(rewritten.size());
  return absl::OkStatus();
}

}  // namespace recommender::events
