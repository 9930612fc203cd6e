#include "recommender/data/csv_reader.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "recommender/util/quote.h"

namespace recommender {

int64_t FindInvalidUtf8(absl::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const int64_t n = static_cast<int64_t>(text.size());
  int64_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int length;
    uint32_t min_code_point;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      min_code_point = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      min_code_point = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      min_code_point = 0x10000;
    } else {
      return i;
    }
    if (i + length > n) return i;
    uint32_t code_point = c & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      code_point = (code_point << 6) | (s[i + k] & 0x3F);
    }
    if (code_point < min_code_point || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return -1;
}

CsvReader::CsvReader(std::string path, std::ifstream stream)
    : path_(std::move(path)), stream_(std::move(stream)) {}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(
    const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream.is_open()) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  }
  std::unique_ptr<CsvReader> reader(new CsvReader(path, std::move(stream)));
  CsvRecord header;
  absl::Status error;
  if (!reader->Next(&header, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": file is empty; expected a header line"));
  }
  if (!error.ok()) return error;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          reader->Where(header.line), "header column ", i + 1, " is empty"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          reader->Where(header.line), "header names column ", Quote(name),
          " twice"));
    }
  }
  reader->header_ = std::move(header.fields);
  return reader;
}

int CsvReader::FindColumn(absl::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<int> CsvReader::RequireColumn(absl::string_view name) const {
  const int index = FindColumn(name);
  if (index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ":1: missing column \"", name, "\" in header"));
  }
  return index;
}

std::string CsvReader::Where(int64_t line) const {
  return absl::StrCat(path_, ":", line, ": ");
}

std::string CsvReader::Where(int64_t line, int column) const {
  const absl::string_view name =
      column >= 0 && column < static_cast<int>(header_.size())
          ? absl::string_view(header_[column])
          : absl::string_view("?");
  return absl::StrCat(path_, ":", line, ": column ", column + 1, " (", name,
                      "): ");
}

bool CsvReader::ReadLine(std::string* line) {
  if (!std::getline(stream_, *line)) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  if (line_number_ == 1 && line->compare(0, 3, "\xEF\xBB\xBF") == 0) {
    line->erase(0, 3);
  }
  return true;
}

bool CsvReader::Next(CsvRecord* record, absl::Status* error) {
  std::string text;
  do {
    if (!ReadLine(&text)) return false;
  } while (text.empty());  // Blank lines carry no record.
  record->line = line_number_;
  record->fields.clear();
  // A quoted field may span lines: join physical lines until quotes balance.
  size_t quotes = 0;
  for (char c : text) quotes += (c == '"');
  std::string next;
  while (quotes % 2 == 1 && ReadLine(&next)) {
    text.append("\n").append(next);
    for (char c : next) quotes += (c == '"');
  }
  *error = ParseRecord(record->line, std::move(text), &record->fields);
  if (error->ok() && !header_.empty() &&
      record->fields.size() != header_.size()) {
    *error = absl::InvalidArgumentError(
        absl::StrCat(Where(record->line), "expected ", header_.size(),
                     " fields as in the header, found ",
                     record->fields.size()));
  }
  return true;
}

absl::Status CsvReader::ParseRecord(int64_t first_line, std::string text,
                                    std::vector<std::string>* fields) {
  const int64_t bad_byte = FindInvalidUtf8(text);
  if (bad_byte >= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        Where(first_line), "byte ", bad_byte + 1,
        " is not valid UTF-8 (files must be UTF-8; convert Shift_JIS exports "
        "with e.g. iconv -f SHIFT_JIS -t UTF-8)"));
  }
  std::string field;
  size_t i = 0;
  const size_t n = text.size();
  while (true) {
    field.clear();
    if (i < n && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= n) {
          return absl::InvalidArgumentError(absl::StrCat(
              Where(first_line), "field ", fields->size() + 1,
              " has an opening quote but no closing quote"));
        }
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      if (i < n && text[i] != ',') {
        return absl::InvalidArgumentError(
            absl::StrCat(Where(first_line), "field ", fields->size() + 1,
                         " has text after its closing quote"));
      }
    } else {
      while (i < n && text[i] != ',') {
        if (text[i] == '"') {
          return absl::InvalidArgumentError(absl::StrCat(
              Where(first_line), "field ", fields->size() + 1,
              " has a quote inside an unquoted value"));
        }
        field.push_back(text[i++]);
      }
    }
    fields->push_back(field);
    if (i >= n) break;
    ++i;  // The comma.
  }
  return absl::OkStatus();
}

}  // namespace recommender
