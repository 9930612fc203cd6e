#include "recommender/live/live_events.h"

#include <algorithm>
#include <utility>

#include "recommender/util/status_macros.h"

namespace recommender {

LiveEvents::LiveEvents(const Options& options,
                       std::optional<uint64_t> model_sequence)
    : state_(options.max_events_per_customer, options.max_live_customers),
      model_sequence_(model_sequence) {}

absl::StatusOr<std::unique_ptr<LiveEvents>> LiveEvents::Open(
    const std::string& dir, const Options& options,
    std::optional<uint64_t> model_in_service,
    events::EventLogReadSummary* recovered) {
  std::unique_ptr<LiveEvents> live(new LiveEvents(options, model_in_service));
  const uint64_t replay_after = model_in_service.value_or(0);
  LiveState* state = &live->state_;
  LiveCatalog* catalog = &live->catalog_;
  ASSIGN_OR_RETURN(
      live->writer_,
      events::EventLogWriter::Open(
          dir, options.log,
          [state, catalog, replay_after](const events::LogRecord& record) {
            // Items stay known until a model trained with them replaces
            // this one; the trainer reads them from the log as well.
            catalog->Apply(record);
            if (record.sequence() > replay_after) state->Apply(record);
            return absl::OkStatus();
          },
          recovered));
  return live;
}

absl::StatusOr<uint64_t> LiveEvents::Record(events::LogRecord record) {
  // Apply reads the sequence the writer assigns, so keep a copy of the
  // events: Append consumes the record.
  events::LogRecord applied = record;
  ASSIGN_OR_RETURN(const uint64_t sequence, writer_->Append(std::move(record)));
  applied.set_sequence(sequence);
  catalog_.Apply(applied);
  state_.Apply(applied);
  return sequence;
}

void LiveEvents::ModelLoaded(uint64_t event_log_sequence) {
  uint64_t forget_through = event_log_sequence;
  {
    absl::MutexLock lock(&mu_);
    if (model_sequence_.has_value()) {
      forget_through = std::min(forget_through, *model_sequence_);
    }
    model_sequence_ = event_log_sequence;
  }
  state_.DropThrough(forget_through);
}

}  // namespace recommender
