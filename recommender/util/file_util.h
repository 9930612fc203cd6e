// Small file-system helpers that report failures as absl::Status naming the
// path and the OS error, for snapshot writing and loading.
//
// Thread-safe: no shared state.
#ifndef RECOMMENDER_UTIL_FILE_UTIL_H_
#define RECOMMENDER_UTIL_FILE_UTIL_H_

#include <string>
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

// fsyncs a directory, making renames and creations inside it durable.
absl::Status SyncDirectory(const std::string& path);

// Creates `path` and any missing parents. OK if it exists already.
absl::Status CreateDirectories(const std::string& path);

// Removes `path` and everything below it. OK if it does not exist.
absl::Status RemoveAll(const std::string& path);

// Atomically renames `from` to `to` (same file system). Fails if `to` is a
// non-empty directory.
absl::Status RenamePath(const std::string& from, const std::string& to);

// Names (not paths) of the entries of a directory, sorted.
absl::StatusOr<std::vector<std::string>> ListDirectory(const std::string& path);

bool PathExists(const std::string& path);

// Joins path components with '/'.
std::string JoinPath(absl::string_view a, absl::string_view b);

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_FILE_UTIL_H_
