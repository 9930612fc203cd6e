// Small file-system helpers that report failures as absl::Status naming the
// path and the OS error, for snapshot writing and loading.
//
// Thread-safe: no shared state.
#ifndef RECOMMENDER_UTIL_FILE_UTIL_H_
#define RECOMMENDER_UTIL_FILE_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender {

// Reads the whole file. NotFound if it does not exist.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes `contents` to `path` (replacing it) and fsyncs the file, so that it
// survives a crash once this returns OK.
absl::Status WriteFileDurably(const std::string& path,
                              absl::string_view contents);

// Writes one file front to back through a buffer, for files too large to
// build in memory (e.g. a generated events.csv of gigabytes). Close()
// flushes and fsyncs; a writer destroyed without Close() leaves a partial
// file. Not thread-safe.
class FileWriter {
 public:
  // Creates or truncates `path`.
  static absl::StatusOr<std::unique_ptr<FileWriter>> Create(
      const std::string& path);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  absl::Status Append(absl::string_view bytes);
  // Flushes, fsyncs and closes; the writer accepts nothing after.
  absl::Status Close();
  // Bytes appended so far.
  int64_t bytes_written() const { return bytes_written_; }

 private:
  FileWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  absl::Status Flush();

  std::string path_;
  int fd_ = -1;
  std::string buffer_;
  int64_t bytes_written_ = 0;
};

// fsyncs a directory, making renames and creations inside it durable.
absl::Status SyncDirectory(const std::string& path);

// Creates `path` and any missing parents. OK if it exists already.
absl::Status CreateDirectories(const std::string& path);

// Removes `path` and everything below it. OK if it does not exist.
absl::Status RemoveAll(const std::string& path);

// Atomically renames `from` to `to` (same file system). Fails if `to` is a
// non-empty directory.
absl::Status RenamePath(const std::string& from, const std::string& to);

// Replaces the file at `path` with `contents` so that a reader, and a
// crash at any moment, sees either the old file or the whole new one: the
// contents go to `path` + `temp_suffix` (fsynced), which is renamed over
// `path`, and the directory is fsynced.
absl::Status ReplaceFileAtomically(const std::string& path,
                                   absl::string_view contents,
                                   absl::string_view temp_suffix = ".tmp");

// Names (not paths) of the entries of a directory, sorted.
absl::StatusOr<std::vector<std::string>> ListDirectory(const std::string& path);

bool PathExists(const std::string& path);

// A text that changes whenever an entry of the directory `path` is added,
// removed, renamed, resized or rewritten (names, sizes and modification
// times of its entries, sorted), so that a caller can tell whether a folder
// changed since it last looked. Not recursive.
absl::StatusOr<std::string> DirectoryFingerprint(const std::string& path);

// Joins path components with '/'.
std::string JoinPath(absl::string_view a, absl::string_view b);

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_FILE_UTIL_H_
