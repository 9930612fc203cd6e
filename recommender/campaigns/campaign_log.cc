#include "recommender/campaigns/campaign_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "recommender/events/event_log_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::campaigns {
namespace {

constexpr char kLockFile[] = "LOCK";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// True if a whole record with a good checksum starts anywhere after
// `offset`: then the damage at `offset` is not a torn tail.
bool ValidRecordFollows(absl::string_view data, size_t offset) {
  for (size_t p = offset + 1; p + events::kRecordHeaderBytes <= data.size();
       ++p) {
    if (events::ReadFramedRecord(data, p).has_value()) return true;
  }
  return false;
}

absl::StatusOr<std::vector<int64_t>> ListSegments(const std::string& dir) {
  if (!PathExists(dir)) {
    return absl::NotFoundError(
        absl::StrCat(dir, ": campaign log folder does not exist"));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir));
  std::vector<int64_t> segments;
  for (const std::string& name : names) {
    if (std::optional<int64_t> s = ParseCampaignLogSegmentName(name)) {
      segments.push_back(*s);
    }
  }
  std::sort(segments.begin(), segments.end());
  return segments;
}

absl::Status TruncateDurably(const std::string& path, int64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  absl::Status status = absl::OkStatus();
  if (::ftruncate(fd, size) != 0) {
    status = ErrnoError("cannot truncate", path);
  } else if (::fsync(fd) != 0) {
    status = ErrnoError("cannot fsync", path);
  }
  ::close(fd);
  return status;
}

}  // namespace

std::string CampaignLogSegmentName(int64_t segment) {
  return absl::StrFormat("campaigns-%08d.log", segment);
}

std::optional<int64_t> ParseCampaignLogSegmentName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "campaigns-") ||
      !absl::ConsumeSuffix(&name, ".log") || name.size() != 8) {
    return std::nullopt;
  }
  for (char c : name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  int64_t segment = 0;
  if (!absl::SimpleAtoi(name, &segment) || segment < 1) return std::nullopt;
  return segment;
}

absl::Status ReadCampaignLog(const std::string& dir,
                             const CampaignLogVisitor& visit,
                             CampaignLogReadSummary* summary) {
  *summary = CampaignLogReadSummary();
  ASSIGN_OR_RETURN(std::vector<int64_t> segments, ListSegments(dir));
  CampaignLogRecord record;
  for (size_t s = 0; s < segments.size(); ++s) {
    const bool last_segment = s + 1 == segments.size();
    const std::string path = JoinPath(dir, CampaignLogSegmentName(segments[s]));
    ASSIGN_OR_RETURN(std::string data, ReadFileToString(path));
    size_t offset = 0;
    while (offset < data.size()) {
      std::optional<absl::string_view> payload =
          events::ReadFramedRecord(data, offset);
      if (!payload.has_value()) {
        if (!last_segment || ValidRecordFollows(data, offset)) {
          return absl::DataLossError(absl::StrCat(
              path, ": damaged record at byte ", offset,
              " (bad length or checksum) followed by more data"));
        }
        summary->torn_tail_bytes = static_cast<int64_t>(data.size() - offset);
        break;
      }
      if (!record.ParseFromArray(payload->data(),
                                 static_cast<int>(payload->size()))) {
        return absl::DataLossError(absl::StrCat(
            path, ": record at byte ", offset,
            " has a good checksum but does not parse"));
      }
      if (record.sequence() <= summary->last_sequence) {
        return absl::DataLossError(absl::StrCat(
            path, ": record at byte ", offset, " has sequence ",
            record.sequence(), ", not after ", summary->last_sequence));
      }
      if (visit) RETURN_IF_ERROR(visit(record));
      summary->last_sequence = record.sequence();
      ++summary->records;
      offset += events::kRecordHeaderBytes + payload->size();
    }
    ++summary->segments;
    summary->valid_bytes += static_cast<int64_t>(offset);
    summary->last_segment = segments[s];
    summary->last_segment_valid_bytes = static_cast<int64_t>(offset);
  }
  return absl::OkStatus();
}

CampaignLogWriter::CampaignLogWriter(std::string dir, Options options,
                                     int lock_fd)
    : dir_(std::move(dir)), options_(options), lock_fd_(lock_fd) {}

CampaignLogWriter::~CampaignLogWriter() {
  absl::MutexLock lock(&mu_);
  if (fd_ >= 0) ::close(fd_);
  ::close(lock_fd_);  // Releases the flock.
}

absl::StatusOr<std::unique_ptr<CampaignLogWriter>> CampaignLogWriter::Open(
    const std::string& dir, const Options& options,
    const CampaignLogVisitor& replay, CampaignLogReadSummary* recovered) {
  if (options.segment_bytes < 1) {
    return absl::InvalidArgumentError(
        "campaign log: segment_bytes must be >= 1");
  }
  RETURN_IF_ERROR(CreateDirectories(dir));
  const std::string lock_path = JoinPath(dir, kLockFile);
  const int lock_fd =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return ErrnoError("cannot open", lock_path);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    absl::Status error =
        held ? absl::FailedPreconditionError(absl::StrCat(
                   dir, ": the campaign log is in use by another process"))
             : ErrnoError("cannot lock", lock_path);
    ::close(lock_fd);
    return error;
  }
  std::unique_ptr<CampaignLogWriter> writer(
      new CampaignLogWriter(dir, options, lock_fd));
  RETURN_IF_ERROR(ReadCampaignLog(dir, replay, recovered));
  if (recovered->torn_tail_bytes > 0) {
    RETURN_IF_ERROR(TruncateDurably(
        JoinPath(dir, CampaignLogSegmentName(recovered->last_segment)),
        recovered->last_segment_valid_bytes));
  }
  absl::MutexLock lock(&writer->mu_);
  writer->last_sequence_ = recovered->last_sequence;
  writer->closed_bytes_ =
      recovered->valid_bytes - recovered->last_segment_valid_bytes;
  if (recovered->last_segment == 0) {
    RETURN_IF_ERROR(writer->OpenSegment(1, 0));
  } else {
    RETURN_IF_ERROR(writer->OpenSegment(recovered->last_segment,
                                        recovered->last_segment_valid_bytes));
    if (writer->segment_bytes_ >= options.segment_bytes) {
      RETURN_IF_ERROR(writer->OpenSegment(recovered->last_segment + 1, 0));
    }
  }
  return writer;
}

absl::Status CampaignLogWriter::OpenSegment(int64_t segment,
                                            int64_t existing_bytes) {
  const std::string path = JoinPath(dir_, CampaignLogSegmentName(segment));
  const bool created = !PathExists(path);
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot open", path);
  if (created) {
    if (absl::Status synced = SyncDirectory(dir_); !synced.ok()) {
      ::close(fd);
      return synced;
    }
  }
  if (fd_ >= 0) {
    ::close(fd_);
    closed_bytes_ += segment_bytes_;
  }
  fd_ = fd;
  segment_ = segment;
  segment_bytes_ = existing_bytes;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> CampaignLogWriter::Append(CampaignLogRecord record) {
  if (record.entry_case() == CampaignLogRecord::ENTRY_NOT_SET) {
    return absl::InvalidArgumentError("campaign log: record has no entry");
  }
  absl::MutexLock lock(&mu_);
  if (!broken_.ok()) return broken_;
  record.set_sequence(last_sequence_ + 1);
  record.set_appended_unix_seconds(absl::ToUnixSeconds(absl::Now()));
  const size_t size = record.ByteSizeLong();
  if (size > events::kMaxRecordPayloadBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "campaign log: ", size, " bytes in one record, more than ",
        events::kMaxRecordPayloadBytes, "; append fewer sends at a time"));
  }
  const std::string framed = events::FrameRecord(record.SerializeAsString());
  const char* p = framed.data();
  size_t left = framed.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      broken_ = ErrnoError("cannot append to the campaign log in", dir_);
      return broken_;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (options_.sync && ::fdatasync(fd_) != 0) {
    broken_ = ErrnoError("cannot sync the campaign log in", dir_);
    return broken_;
  }
  segment_bytes_ += static_cast<int64_t>(framed.size());
  last_sequence_ = record.sequence();
  if (segment_bytes_ >= options_.segment_bytes) {
    // This record is durable; a failure to roll breaks later appends.
    broken_ = OpenSegment(segment_ + 1, 0);
  }
  return last_sequence_;
}

absl::StatusOr<CampaignLogCompactionStats> CampaignLogWriter::Compact(
    const ErasedCustomerTest& erased) {
  absl::MutexLock compacting(&compact_mu_);
  int64_t first_open_segment = 0;
  {
    absl::MutexLock lock(&mu_);
    if (!broken_.ok()) return broken_;
    if (segment_bytes_ > 0) {
      broken_ = OpenSegment(segment_ + 1, 0);
      if (!broken_.ok()) return broken_;
    }
    first_open_segment = segment_;
  }
  CampaignLogCompactionStats stats;
  ASSIGN_OR_RETURN(std::vector<int64_t> segments, ListSegments(dir_));
  for (int64_t segment : segments) {
    if (segment >= first_open_segment) break;
    const int64_t before = stats.bytes_before - stats.bytes_after;
    absl::Status compacted = CompactCampaignLogSegment(
        JoinPath(dir_, CampaignLogSegmentName(segment)), erased, &stats);
    const int64_t saved = stats.bytes_before - stats.bytes_after - before;
    if (saved != 0) {
      absl::MutexLock lock(&mu_);
      closed_bytes_ -= saved;
    }
    RETURN_IF_ERROR(compacted);
  }
  return stats;
}

uint64_t CampaignLogWriter::last_sequence() const {
  absl::MutexLock lock(&mu_);
  return last_sequence_;
}

int64_t CampaignLogWriter::bytes() const {
  absl::MutexLock lock(&mu_);
  return closed_bytes_ + segment_bytes_;
}

absl::StatusOr<std::unique_ptr<CampaignLogWriter>> OpenCampaignLogForStore(
    const std::string& dir, const CampaignLogWriter::Options& options,
    const ErasedCustomerTest& erased, const CampaignLogVisitor& apply) {
  CampaignLogReadSummary summary;
  return CampaignLogWriter::Open(
      dir, options,
      [&erased, &apply](const CampaignLogRecord& record) {
        if (!erased) return apply(record);
        CampaignLogRecord kept = record;
        RemoveCustomers(erased, &kept);
        return apply(kept);
      },
      &summary);
}

}  // namespace recommender::campaigns
