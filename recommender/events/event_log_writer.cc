#include "recommender/events/event_log_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "recommender/events/event_log_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"

namespace recommender::events {
namespace {

constexpr char kLockFile[] = "LOCK";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Cuts `path` to `size` bytes and makes that durable.
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

// One caller of Append waiting in the queue, or Compact waiting to start a
// new segment (`rotate`) while no group is being written.
struct EventLogWriter::Pending {
  bool rotate = false;
  LogRecord* record = nullptr;
  int64_t bytes = 0;
  uint64_t sequence = 0;
  bool done = false;
  absl::Status status;
};

EventLogWriter::EventLogWriter(std::string dir, Options options, int lock_fd)
    : dir_(std::move(dir)), options_(options), lock_fd_(lock_fd) {}

EventLogWriter::~EventLogWriter() {
  absl::MutexLock lock(&mu_);
  if (fd_ >= 0) ::close(fd_);
  ::close(lock_fd_);  // Releases the flock.
}

absl::StatusOr<std::unique_ptr<EventLogWriter>> EventLogWriter::Open(
    const std::string& dir, const Options& options,
    const std::function<absl::Status(const LogRecord&)>& replay,
    EventLogReadSummary* recovered) {
  if (options.segment_bytes < 1 || options.max_group_bytes < 1) {
    return absl::InvalidArgumentError(
        "event log: segment_bytes and max_group_bytes must be >= 1");
  }
  RETURN_IF_ERROR(CreateDirectories(dir));
  const std::string lock_path = JoinPath(dir, kLockFile);
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd < 0) return ErrnoError("cannot open", lock_path);
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    absl::Status error =
        held ? absl::FailedPreconditionError(absl::StrCat(
                   dir, ": the event log is in use by another process"))
             : ErrnoError("cannot lock", lock_path);
    ::close(lock_fd);
    return error;
  }
  std::unique_ptr<EventLogWriter> writer(
      new EventLogWriter(dir, options, lock_fd));
  RETURN_IF_ERROR(ReadEventLog(dir, replay, recovered));
  if (recovered->torn_tail_bytes > 0) {
    RETURN_IF_ERROR(TruncateDurably(
        JoinPath(dir, SegmentFileName(recovered->last_segment)),
        recovered->last_segment_valid_bytes));
  }
  absl::MutexLock lock(&writer->mu_);
  writer->stats_.last_sequence = recovered->last_sequence;
  writer->stats_.segments = recovered->segments;
  writer->closed_segments_bytes_ =
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

absl::Status EventLogWriter::OpenSegment(int64_t segment,
                                         int64_t existing_bytes) {
  const std::string path = JoinPath(dir_, SegmentFileName(segment));
  const bool created = !PathExists(path);
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot open", path);
  if (created) {
    if (absl::Status synced = SyncDirectory(dir_); !synced.ok()) {
      ::close(fd);
      return synced;
    }
    ++stats_.segments;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    closed_segments_bytes_ += segment_bytes_;
  }
  fd_ = fd;
  segment_ = segment;
  segment_bytes_ = existing_bytes;
  stats_.bytes = closed_segments_bytes_ + segment_bytes_;
  return absl::OkStatus();
}

absl::Status EventLogWriter::WriteGroup(int fd, const std::string& framed) {
  const char* p = framed.data();
  size_t left = framed.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot append to the event log in", dir_);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (options_.sync && ::fdatasync(fd) != 0) {
    return ErrnoError("cannot sync the event log in", dir_);
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> EventLogWriter::Append(LogRecord record) {
  if (record.events_size() == 0 && record.items_size() == 0 &&
      record.erased_customers_size() == 0) {
    return absl::InvalidArgumentError("events: nothing to append");
  }
  record.set_sequence(~uint64_t{0});  // Counts its full size below.
  record.set_appended_unix_seconds(absl::ToUnixSeconds(absl::Now()));
  Pending me;
  me.record = &record;
  me.bytes = static_cast<int64_t>(record.ByteSizeLong()) + 16;
  if (me.bytes > kMaxRecordPayloadBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("events: ", me.bytes, " bytes in one record, more than ",
                     kMaxRecordPayloadBytes));
  }

  absl::MutexLock lock(&mu_);
  queue_.push_back(&me);
  while (!me.done && queue_.front() != &me) changed_.Wait(&mu_);
  if (me.done) {
    if (!me.status.ok()) return me.status;
    return me.sequence;
  }

  // This caller leads: it commits itself and everyone queued behind it.
  std::vector<Pending*> group;
  int64_t group_bytes = 0;
  for (Pending* pending : queue_) {
    if (pending->rotate) break;
    if (!group.empty() &&
        (group_bytes + pending->bytes > options_.max_group_bytes ||
         group_bytes + pending->bytes > kMaxRecordPayloadBytes)) {
      break;
    }
    group.push_back(pending);
    group_bytes += pending->bytes;
  }
  absl::Status status = broken_;
  if (status.ok()) {
    LogGroup payload;
    for (Pending* pending : group) {
      pending->sequence = ++stats_.last_sequence;
      pending->record->set_sequence(pending->sequence);
      payload.add_records()->Swap(pending->record);
    }
    const int fd = fd_;
    mu_.Unlock();
    const std::string framed = FrameRecord(payload.SerializeAsString());
    status = WriteGroup(fd, framed);
    mu_.Lock();
    if (status.ok()) {
      segment_bytes_ += static_cast<int64_t>(framed.size());
      stats_.bytes = closed_segments_bytes_ + segment_bytes_;
      ++stats_.group_commits;
      for (const LogRecord& written : payload.records()) {
        ++stats_.records_appended;
        stats_.events_appended += written.events_size();
      }
      if (segment_bytes_ >= options_.segment_bytes) {
        // This group is durable; a failure to roll breaks later appends.
        broken_ = OpenSegment(segment_ + 1, 0);
      }
    } else {
      broken_ = status;
    }
  }
  for (Pending* pending : group) {
    pending->status = status;
    pending->done = true;
    queue_.pop_front();
  }
  changed_.SignalAll();
  if (!status.ok()) return status;
  return me.sequence;
}

absl::StatusOr<CompactionStats> EventLogWriter::Compact(
    const CompactionRules& rules) {
  absl::MutexLock compacting(&compact_mu_);
  int64_t first_open = 0;
  {
    Pending me;
    me.rotate = true;
    absl::MutexLock lock(&mu_);
    queue_.push_back(&me);
    // At the front no group is being written, so the segment may change.
    while (queue_.front() != &me) changed_.Wait(&mu_);
    absl::Status status = broken_;
    if (status.ok() && segment_bytes_ > 0) {
      status = OpenSegment(segment_ + 1, 0);
    }
    queue_.pop_front();
    changed_.SignalAll();
    if (!status.ok()) return status;
    first_open = segment_;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir_));
  CompactionStats stats;
  absl::Status status = absl::OkStatus();
  for (const std::string& name : names) {
    if (absl::EndsWith(name, ".compacting")) {
      // Left by a compaction that crashed before its rename.
      RemoveAll(JoinPath(dir_, name)).IgnoreError();
      continue;
    }
    const std::optional<int64_t> segment = ParseSegmentFileName(name);
    if (!segment.has_value() || *segment >= first_open) continue;
    status = CompactSegment(JoinPath(dir_, name), rules, &stats);
    if (!status.ok()) break;
  }
  {
    absl::MutexLock lock(&mu_);
    closed_segments_bytes_ += stats.bytes_after - stats.bytes_before;
    stats_.bytes = closed_segments_bytes_ + segment_bytes_;
  }
  if (!status.ok()) return status;
  return stats;
}

EventLogWriter::Stats EventLogWriter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

}  // namespace recommender::events
