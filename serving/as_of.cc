#include "serving/as_of.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "recommender/timing/next_purchase.h"
#include "recommender/util/quote.h"
#include "recommender/util/time_util.h"

namespace recommender::serving {

absl::StatusOr<ClockMode> ParseClockMode(absl::string_view text) {
  if (text == "wall") return ClockMode::kWall;
  if (text == "data_end") return ClockMode::kDataEnd;
  return absl::InvalidArgumentError(
      absl::StrCat("clock: expected wall or data_end, got ", Quote(text)));
}

absl::Time RequestClock::Now(const ModelSnapshot& model) const {
  if (mode_ == ClockMode::kDataEnd) {
    if (std::optional<absl::Time> end = SnapshotDataEnd(model); end.has_value()) {
      return *end;
    }
  }
  return wall_clock_();
}

absl::StatusOr<absl::Time> ResolveAsOf(absl::string_view field,
                                       absl::string_view text, absl::Time now) {
  if (text.empty()) return now;
  absl::StatusOr<absl::Time> parsed = ParseApiTimestamp(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", parsed.status().message()));
  }
  return *parsed;
}

absl::StatusOr<absl::CivilDay> ParseDayField(absl::string_view field,
                                             absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (YYYY-MM-DD)"));
  }
  absl::StatusOr<absl::CivilDay> day = ParseApiDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", day.status().message()));
  }
  return *day;
}

}  // namespace recommender::serving
