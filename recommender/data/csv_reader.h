// Streaming reader for the shop's CSV exports (RFC 4180: comma-separated,
// double-quoted fields may hold commas, quotes ("") and line breaks).
//
// The first line is a header naming the columns. Every record must be valid
// UTF-8 (a UTF-8 byte-order mark at the start is skipped). Errors name the
// file and line, so a shop can find and fix the row.
//
// Not thread-safe; one reader per file.
#ifndef RECOMMENDER_DATA_CSV_READER_H_
#define RECOMMENDER_DATA_CSV_READER_H_

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace recommender {

struct CsvRecord {
  // 1-based line number where the record starts.
  int64_t line = 0;
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  // Opens `path` and reads its header. Fails if the file is missing, empty,
  // not UTF-8 in the header, or has an empty or repeated column name.
  static absl::StatusOr<std::unique_ptr<CsvReader>> Open(
      const std::string& path);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }

  // Position of a column in every record. InvalidArgument naming the file
  // and the missing column if the header lacks it.
  absl::StatusOr<int> RequireColumn(absl::string_view name) const;
  // Position of a column, or -1 if the header lacks it.
  int FindColumn(absl::string_view name) const;

  // Reads the next record into `record`. Returns false at the end of the
  // file. When it returns true, `*error` is OK for a well-formed record, or
  // says what is wrong with it (bad encoding, unbalanced quotes, wrong number
  // of fields); reading may go on with the next record either way.
  bool Next(CsvRecord* record, absl::Status* error);

  // "path:line: " prefix for error messages about a record.
  std::string Where(int64_t line) const;
  // "path:line: column N (name): " prefix for errors about one field.
  std::string Where(int64_t line, int column) const;

 private:
  CsvReader(std::string path, std::ifstream stream);

  // Reads one physical line without its terminator; false at end of file.
  bool ReadLine(std::string* line);
  absl::Status ParseRecord(int64_t first_line, std::string text,
                           std::vector<std::string>* fields);

  std::string path_;
  std::ifstream stream_;
  std::vector<std::string> header_;
  int64_t line_number_ = 0;
};

// Returns the byte offset of the first invalid UTF-8 sequence in `text`, or
// -1 if it is all valid.
int64_t FindInvalidUtf8(absl::string_view text);

}  // namespace recommender

#endif  // RECOMMENDER_DATA_CSV_READER_H_
