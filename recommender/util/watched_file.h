// WatchedFile<T>: the parsed contents of a small configuration file (API
// keys, token keys) that operators edit while the server runs. The file is
// re-read when its inode, size or modification time changes; a new value
// replaces the old one atomically, and a file that fails to read or parse
// leaves the previous value in force (the caller hears the error).
// Replace such files by renaming a finished file over them, so that a
// reload never sees half of one.
//
// Thread-safe: Get may run on any thread while the file is reloaded.
#ifndef RECOMMENDER_UTIL_WATCHED_FILE_H_
#define RECOMMENDER_UTIL_WATCHED_FILE_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "recommender/util/file_util.h"

namespace recommender {

// What identifies one version of a file.
struct FileStamp {
  ino_t inode = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp& other) const {
    return inode == other.inode && size == other.size &&
           mtime_ns == other.mtime_ns;
  }
  bool operator!=(const FileStamp& other) const { return !(*this == other); }
};

// The stamp of the file at `path`: NotFound naming the path if it does not
// exist.
absl::StatusOr<FileStamp> StampOf(const std::string& path);

// Calls `poll` every `interval` on a thread of its own until destroyed.
class PollingThread {
 public:
  PollingThread(absl::Duration interval, std::function<void()> poll);
  ~PollingThread();
  PollingThread(const PollingThread&) = delete;
  PollingThread& operator=(const PollingThread&) = delete;

 private:
  absl::Notification stop_;
  std::thread thread_;
};

template <typename T>
class WatchedFile {
 public:
  // Turns the file's text into a value; errors name the file (and line).
  using Parser =
      std::function<absl::StatusOr<T>(const std::string& text,
                                      const std::string& path)>;

  // Reads and parses the file: NotFound if it does not exist, the parser's
  // error otherwise.
  static absl::StatusOr<std::unique_ptr<WatchedFile>> Open(std::string path,
                                                           Parser parse) {
    std::unique_ptr<WatchedFile> file(
        new WatchedFile(std::move(path), std::move(parse)));
    absl::StatusOr<bool> read = file->ReloadIfChanged();
    if (!read.ok()) return read.status();
    return file;
  }

  // The value of the newest version that parsed.
  std::shared_ptr<const T> Get() const {
    absl::MutexLock lock(&mu_);
    return value_;
  }

  // Re-reads the file if its stamp changed. True if a new value is in
  // force; false if nothing changed; the read or parse error (the old
  // value kept) otherwise.
  absl::StatusOr<bool> ReloadIfChanged() {
    absl::StatusOr<FileStamp> stamp = StampOf(path_);
    if (!stamp.ok()) return stamp.status();
    {
      absl::MutexLock lock(&mu_);
      if (value_ != nullptr && *stamp == stamp_) return false;
    }
    // The stamp is taken before the read: a change during the read is
    // seen by the next poll.
    absl::StatusOr<std::string> text = ReadFileToString(path_);
    if (!text.ok()) return text.status();
    absl::StatusOr<T> parsed = parse_(*text, path_);
    if (!parsed.ok()) return parsed.status();
    auto value = std::make_shared<const T>(*std::move(parsed));
    absl::MutexLock lock(&mu_);
    stamp_ = *stamp;
    value_ = std::move(value);
    return true;
  }

  // Calls ReloadIfChanged every `interval` until destroyed; `report` hears
  // each new value (OK) and each failure (once, not on every poll).
  void StartWatching(absl::Duration interval,
                     std::function<void(const absl::Status&)> report) {
    watcher_ = std::make_unique<PollingThread>(
        interval, [this, report = std::move(report),
                   last = absl::OkStatus()]() mutable {
          absl::StatusOr<bool> reloaded = ReloadIfChanged();
          if (reloaded.ok() && !*reloaded) return;
          const absl::Status status = reloaded.status();
          if (!status.ok() && status == last) return;
          last = status;
          if (report) report(status);
        });
  }

  const std::string& path() const { return path_; }

 private:
  WatchedFile(std::string path, Parser parse)
      : path_(std::move(path)), parse_(std::move(parse)) {}

  const std::string path_;
  const Parser parse_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const T> value_ ABSL_GUARDED_BY(mu_);
  FileStamp stamp_ ABSL_GUARDED_BY(mu_);
  // Last member: stopped and joined before the rest is destroyed.
  std::unique_ptr<PollingThread> watcher_;
};

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_WATCHED_FILE_H_
