#include "recommender/util/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace recommender {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path,
                        int error_number) {
  const std::string message =
      absl::StrCat(what, " ", path, ": ", std::strerror(error_number));
  if (error_number == ENOENT) return absl::NotFoundError(message);
  if (error_number == EACCES || error_number == EPERM) {
    return absl::PermissionDeniedError(message);
  }
  return absl::InternalError(message);
}

absl::Status FsError(absl::string_view what, const std::string& path,
                     const std::error_code& error) {
  return ErrnoError(what, path, error.value());
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path, errno);
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      return ErrnoError("cannot read", path, error_number);
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return contents;
}

absl::Status WriteFileDurably(const std::string& path,
                              absl::string_view contents) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot create", path, errno);
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      return ErrnoError("cannot write", path, error_number);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error_number = errno;
    ::close(fd);
    return ErrnoError("cannot fsync", path, error_number);
  }
  if (::close(fd) != 0) return ErrnoError("cannot close", path, errno);
  return absl::OkStatus();
}

namespace {

// Writes all of `bytes` to `fd`, retrying short writes.
absl::Status WriteAll(int fd, absl::string_view bytes,
                      const std::string& path) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("cannot write", path, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

constexpr size_t kWriterBufferBytes = size_t{1} << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<FileWriter>> FileWriter::Create(
    const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("cannot create", path, errno);
  std::unique_ptr<FileWriter> writer(new FileWriter(path, fd));
  writer->buffer_.reserve(kWriterBufferBytes);
  return writer;
}

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status FileWriter::Append(absl::string_view bytes) {
  if (fd_ < 0) return absl::FailedPreconditionError(path_ + ": closed");
  buffer_.append(bytes.data(), bytes.size());
  bytes_written_ += static_cast<int64_t>(bytes.size());
  if (buffer_.size() >= kWriterBufferBytes) return Flush();
  return absl::OkStatus();
}

absl::Status FileWriter::Flush() {
  absl::Status status = WriteAll(fd_, buffer_, path_);
  buffer_.clear();
  return status;
}

absl::Status FileWriter::Close() {
  if (fd_ < 0) return absl::FailedPreconditionError(path_ + ": closed");
  absl::Status status = Flush();
  if (status.ok() && ::fsync(fd_) != 0) {
    status = ErrnoError("cannot fsync", path_, errno);
  }
  if (::close(fd_) != 0 && status.ok()) {
    status = ErrnoError("cannot close", path_, errno);
  }
  fd_ = -1;
  return status;
}

absl::Status SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open directory", path, errno);
  const int result = ::fsync(fd);
  const int error_number = errno;
  ::close(fd);
  if (result != 0) return ErrnoError("cannot fsync", path, error_number);
  return absl::OkStatus();
}

absl::Status CreateDirectories(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return FsError("cannot create directory", path, error);
  return absl::OkStatus();
}

absl::Status RemoveAll(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error) return FsError("cannot remove", path, error);
  return absl::OkStatus();
}

absl::Status RenamePath(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return ErrnoError(absl::StrCat("cannot rename ", from, " to"), to, errno);
  }
  return absl::OkStatus();
}

absl::Status ReplaceFileAtomically(const std::string& path,
                                   absl::string_view contents,
                                   absl::string_view temp_suffix) {
  const std::string temp = absl::StrCat(path, temp_suffix);
  if (absl::Status written = WriteFileDurably(temp, contents); !written.ok()) {
    return written;
  }
  if (absl::Status renamed = RenamePath(temp, path); !renamed.ok()) {
    return renamed;
  }
  const size_t slash = path.find_last_of('/');
  return SyncDirectory(slash == std::string::npos ? "." : path.substr(0, slash));
}

absl::StatusOr<std::vector<std::string>> ListDirectory(
    const std::string& path) {
  std::error_code error;
  std::filesystem::directory_iterator it(path, error);
  if (error) return FsError("cannot list", path, error);
  std::vector<std::string> names;
  for (const auto& entry : it) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::string> DirectoryFingerprint(const std::string& path) {
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(path);
  if (!names.ok()) return names.status();
  std::string fingerprint;
  for (const std::string& name : *names) {
    const std::string entry = JoinPath(path, name);
    struct stat info;
    if (::lstat(entry.c_str(), &info) != 0) {
      // Removed since the listing: that is a change too.
      absl::StrAppend(&fingerprint, name, " gone\n");
      continue;
    }
    absl::StrAppend(&fingerprint, name, " ", info.st_size, " ",
                    info.st_mtim.tv_sec, ".", info.st_mtim.tv_nsec, " ",
                    info.st_ino, "\n");
  }
  return fingerprint;
}

bool PathExists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

std::string JoinPath(absl::string_view a, absl::string_view b) {
  if (a.empty()) return std::string(b);
  if (a.back() == '/') return absl::StrCat(a, b);
  return absl::StrCat(a, "/", b);
}

}  // namespace recommender
