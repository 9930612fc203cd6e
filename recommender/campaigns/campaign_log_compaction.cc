#include "recommender/campaigns/campaign_log_compaction.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "recommender/events/event_log_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::campaigns {
namespace {

// Drops the elements of `entries` whose customer is erased; returns how
// many.
template <typename Entries>
int64_t RemoveErased(const ErasedCustomerTest& erased, Entries* entries) {
  const int before = entries->size();
  int kept = 0;
  for (int i = 0; i < before; ++i) {
    if (erased(entries->Get(i).customer_id())) continue;
    if (kept != i) entries->SwapElements(kept, i);
    ++kept;
  }
  if (kept < before) entries->DeleteSubrange(kept, before - kept);
  return before - kept;
}

}  // namespace

int64_t RemoveCustomers(const ErasedCustomerTest& erased,
                        CampaignLogRecord* record) {
  if (!erased) return 0;
  switch (record->entry_case()) {
    case CampaignLogRecord::kSends:
      return RemoveErased(erased, record->mutable_sends()->mutable_sends());
    case CampaignLogRecord::kOptOuts:
      return RemoveErased(erased,
                          record->mutable_opt_outs()->mutable_opt_outs());
    case CampaignLogRecord::kExposures:
      return RemoveErased(erased,
                          record->mutable_exposures()->mutable_exposures());
    default:
      return 0;
  }
}

absl::Status CompactCampaignLogSegment(const std::string& path,
                                       const ErasedCustomerTest& erased,
                                       CampaignLogCompactionStats* stats) {
  ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
  ++stats->segments_read;
  stats->bytes_before += static_cast<int64_t>(data.size());
  std::string rewritten;
  int64_t removed = 0;
  CampaignLogRecord record;
  size_t offset = 0;
  while (offset < data.size()) {
    std::optional<absl::string_view> payload =
        events::ReadFramedRecord(data, offset);
    if (!payload.has_value() ||
        !record.ParseFromArray(payload->data(),
                               static_cast<int>(payload->size()))) {
      return absl::DataLossError(absl::StrCat(
          path, ": damaged record at byte ", offset, "; not compacted"));
    }
    const int64_t dropped = RemoveCustomers(erased, &record);
    removed += dropped;
    rewritten += dropped == 0 ? events::FrameRecord(*payload)
                              : events::FrameRecord(record.SerializeAsString());
    offset += events::kRecordHeaderBytes + payload->size();
  }
  if (removed == 0) {
    stats->bytes_after += static_cast<int64_t>(data.size());
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(ReplaceFileAtomically(path, rewritten, ".compacting"));
  ++stats->segments_rewritten;
  stats->entries_removed += removed;
  stats->bytes_after += static_cast<int64_t>(rewritten.size());
  return absl::OkStatus();
}

}  // namespace recommender::campaigns
