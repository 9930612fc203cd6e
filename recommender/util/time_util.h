// Parsing and printing of the timestamps in shop data and API responses.
//
// Thread-safe: pure functions.
#ifndef RECOMMENDER_UTIL_TIME_UTIL_H_
#define RECOMMENDER_UTIL_TIME_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace recommender {

// Parses an ISO 8601 timestamp: "2026-03-01T09:30:00+09:00",
// "2026-03-01T00:30:00Z", fractional seconds allowed. Without an offset
// ("2026-03-01T09:30:00" or with a space instead of 'T') the time is taken
// as UTC. InvalidArgument (naming the expected form) otherwise.
absl::StatusOr<absl::Time> ParseIsoTimestamp(absl::string_view text);

// The range of moments the API accepts (as_of, event times, due dates):
// from 2000-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z.
absl::Time EarliestApiTime();
absl::Time LatestApiTime();

// Parses a timestamp sent to the API: RFC 3339 with its offset
// ("2026-03-01T09:30:00+09:00" or "2026-03-01T00:30:00Z", fractional
// seconds allowed), within [EarliestApiTime(), LatestApiTime()).
// InvalidArgument saying what is wrong (no offset, out of range, not a
// timestamp), quoting the text (recommender/util/quote.h).
absl::StatusOr<absl::Time> ParseApiTimestamp(absl::string_view text);

// Parses a calendar date "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseIsoDate(absl::string_view text);

// A date sent to the API: as ParseIsoDate, and within the years 2000 to
// 2099.
absl::StatusOr<absl::CivilDay> ParseApiDate(absl::string_view text);

// RFC 3339 in UTC with second precision: "2026-03-01T00:30:00Z".
std::string FormatRfc3339Utc(absl::Time time);

inline int64_t ToUnixSecondsFloor(absl::Time time) {
  return absl::ToUnixSeconds(time);
}

constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

}  // namespace recommender

#endif  // RECOMMENDER_UTIL_TIME_UTIL_H_
