// "Now" for a request: the moment rankings and timing forecasts are made
// for. A request may name it (what-if, replays); otherwise the server's
// clock mode decides: the wall clock in production, or the loaded model's
// data_end (the newest training event), so that a demo or a test on old
// data does not see every consumable as long overdue.
//
// Thread-safe: pure functions.
#ifndef SERVING_AS_OF_H_
#define SERVING_AS_OF_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "recommender/model/model_snapshot.h"

namespace recommender::serving {

enum class ClockMode {
  kWall,     // absl::Now().
  kDataEnd,  // The model's data_end (the wall clock if it has none).
};

// "wall" or "data_end"; InvalidArgument otherwise.
absl::StatusOr<ClockMode> ParseClockMode(absl::string_view text);

// `text` (ISO 8601 / RFC 3339) if not empty, else `now` or the model's
// data_end as `clock` says. InvalidArgument naming `field` for bad text.
absl::StatusOr<absl::Time> ResolveAsOf(absl::string_view field,
                                       absl::string_view text,
                                       const ModelSnapshot& model,
                                       ClockMode clock, absl::Time now);

// A calendar day "YYYY-MM-DD"; InvalidArgument naming `field`.
absl::StatusOr<absl::CivilDay> ParseDayField(absl::string_view field,
                                             absl::string_view text);

}  // namespace recommender::serving

#endif  // SERVING_AS_OF_H_
