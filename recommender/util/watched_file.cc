#include "recommender/util/watched_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace recommender {

absl::StatusOr<FileStamp> StampOf(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    }
    return absl::InternalError(absl::StrCat(path, ": ", std::strerror(errno)));
  }
  FileStamp stamp;
  stamp.inode = info.st_ino;
  stamp.size = info.st_size;
  stamp.mtime_ns =
      int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
  return stamp;
}

PollingThread::PollingThread(absl::Duration interval,
                             std::function<void()> poll)
    : thread_([this, interval, poll = std::move(poll)] {
        while (!stop_.WaitForNotificationWithTimeout(interval)) poll();
      }) {}

PollingThread::~PollingThread() {
  stop_.Notify();
  thread_.join();
}

}  // namespace recommender
