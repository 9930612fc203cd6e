// "Now" for a request: the moment rankings and timing forecasts are made
// for. A request may name it (what-if, replays); otherwise the server's
// clock mode decides: the wall clock in production, or the loaded model's
// data_end (the newest training event), so that a demo or a test on old
// data does not see every consumable as long overdue.
//
// One clock for every RPC: a call takes "now" once from its RequestClock
// and uses it for all of its parts (Recommend's ranking, BatchRecommend's
// lapsed/active selection and its picks, the timing forecasts, the time
// stamped on events sent without one). Events are facts of the real world,
// so "in the future" means after the later of that "now" and the system
// clock: a replay server (--clock=data_end) still takes events of today.
//
// Thread-safe: pure functions; RequestClock is immutable.
#ifndef SERVING_AS_OF_H_
#define SERVING_AS_OF_H_

#include <functional>

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

// "Now" for a request that does not name it.
class RequestClock {
 public:
  // `wall_clock` reads the system clock; tests give a fixed one.
  RequestClock(ClockMode mode,  // NOLINT: a mode is a clock.
               std::function<absl::Time()> wall_clock = &absl::Now)
      : mode_(mode), wall_clock_(std::move(wall_clock)) {}

  // The wall clock, or `model`'s data_end in kDataEnd mode (the wall clock
  // if the model has none).
  absl::Time Now(const ModelSnapshot& model) const;

  // The system clock (as given), whatever the mode.
  absl::Time WallNow() const { return wall_clock_(); }

  ClockMode mode() const { return mode_; }

 private:
  ClockMode mode_;
  std::function<absl::Time()> wall_clock_;
};

// `text` (RFC 3339 with offset, years 2000 to 2099: ParseApiTimestamp) if
// not empty, else `now`. InvalidArgument naming `field` for bad text.
absl::StatusOr<absl::Time> ResolveAsOf(absl::string_view field,
                                       absl::string_view text, absl::Time now);

// A calendar day "YYYY-MM-DD" of the years 2000 to 2099; InvalidArgument
// naming `field`.
absl::StatusOr<absl::CivilDay> ParseDayField(absl::string_view field,
                                             absl::string_view text);

}  // namespace recommender::serving

#endif  // SERVING_AS_OF_H_
