#include "recommender/util/time_util.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace recommender {

absl::StatusOr<absl::Time> ParseIsoTimestamp(absl::string_view text) {
  // absl's parser is lenient about surrounding spaces; the format is not.
  const std::string normalized = absl::StrReplaceAll(text, {{" ", "T"}});
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, normalized, &time, &error)) {
    return time;
  }
  if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", normalized, absl::UTCTimeZone(),
                      &time, &error)) {
    return time;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "not an ISO 8601 timestamp (want e.g. 2026-03-01T09:30:00+09:00): \"",
      text, "\""));
}

absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) return day;
  return absl::InvalidArgumentError(
      absl::StrCat("not a date of the form YYYY-MM-DD: \"", text, "\""));
}

std::string FormatRfc3339Utc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

}  // namespace recommender
