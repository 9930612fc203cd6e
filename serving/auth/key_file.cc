#include "serving/auth/key_file.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace recommender::serving::auth {

absl::Status ForEachKeyFileEntry(
    absl::string_view text, absl::string_view source,
    absl::FunctionRef<absl::Status(const std::vector<absl::string_view>&)>
        entry) {
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (absl::Status status = entry(fields); !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_number, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace recommender::serving::auth
