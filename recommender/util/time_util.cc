#include "recommender/util/time_util.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "recommender/util/quote.h"

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
      "not an ISO 8601 timestamp (want e.g. 2026-03-01T09:30:00+09:00): ",
      Quote(text)));
}

absl::Time EarliestApiTime() {
  return absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());
}

absl::Time LatestApiTime() {
  return absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseApiTimestamp(absl::string_view text) {
  absl::Time time;
  std::string error;
  // RFC 3339 allows a space for the 'T'; the offset is not optional.
  const std::string normalized =
      text.size() > 10 && text[10] == ' '
          ? absl::StrCat(text.substr(0, 10), "T", text.substr(11))
          : std::string(text);
  if (!absl::ParseTime(absl::RFC3339_full, normalized, &time, &error)) {
    if (absl::ParseTime("%Y-%m-%dT%H:%M:%E*S", normalized,
                        absl::UTCTimeZone(), &time, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "needs its offset (Z for UTC, or e.g. +09:00): ", Quote(text)));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "not an RFC 3339 timestamp (want e.g. 2026-03-01T09:30:00+09:00): ",
        Quote(text)));
  }
  if (time < EarliestApiTime() || time >= LatestApiTime()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "must be from 2000-01-01 to 2099-12-31, got ", Quote(text)));
  }
  return time;
}

absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) return day;
  return absl::InvalidArgumentError(
      absl::StrCat("not a date of the form YYYY-MM-DD: ", Quote(text)));
}

absl::StatusOr<absl::CivilDay> ParseApiDate(absl::string_view text) {
  absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
  if (!day.ok()) return day.status();
  if (day->year() < 2000 || day->year() > 2099) {
    return absl::InvalidArgumentError(absl::StrCat(
        "must be from 2000-01-01 to 2099-12-31, got ", Quote(text)));
  }
  return *day;
}

std::string FormatRfc3339Utc(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

}  // namespace recommender
