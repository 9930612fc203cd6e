// LiveEvents: the durable event log and the in-memory live state together,
// so that an event becomes visible to recommendations exactly when it is
// durable. Opening replays the log into the state; Record appends (group
// commit, fdatasync) and then applies.
//
// The state keeps events the model in service has not been trained on
// (sequence > its manifest.event_log_sequence) plus those of the model
// before it, since requests that started on the previous model may still
// be running when a new one is swapped in.
//
// Thread-safe: all methods.
#ifndef RECOMMENDER_LIVE_LIVE_EVENTS_H_
#define RECOMMENDER_LIVE_LIVE_EVENTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "proto/event_log.pb.h"
#include "recommender/events/event_log_writer.h"
#include "recommender/live/live_catalog.h"
#include "recommender/live/live_state.h"

namespace recommender {

class LiveEvents {
 public:
  struct Options {
    events::EventLogWriter::Options log;
    int max_events_per_customer = 1000;
    // Bound on customers held in the live state (LiveState); 0: none.
    int64_t max_live_customers = LiveState::kDefaultMaxCustomers;
  };

  // Opens the log in `dir` and replays the records the model in service
  // has not seen (sequence > its event_log_sequence; all of them when no
  // model is loaded yet). `recovered` says what was read and any torn tail
  // cut off. Errors as in EventLogWriter::Open.
  static absl::StatusOr<std::unique_ptr<LiveEvents>> Open(
      const std::string& dir, const Options& options,
      std::optional<uint64_t> model_in_service,
      events::EventLogReadSummary* recovered);

  // Appends the record durably, then makes its events and items visible. Returns its
  // sequence. Errors as in EventLogWriter::Append.
  absl::StatusOr<uint64_t> Record(events::LogRecord record);

  // Tells that a model trained through `event_log_sequence` is now in
  // service: events the previous model had already seen are forgotten.
  void ModelLoaded(uint64_t event_log_sequence);

  const LiveState& state() const { return state_; }
  const LiveCatalog& catalog() const { return catalog_; }
  events::EventLogWriter::Stats log_stats() const { return writer_->stats(); }

 private:
  LiveEvents(const Options& options, std::optional<uint64_t> model_sequence);

  LiveState state_;
  LiveCatalog catalog_;
  std::unique_ptr<events::EventLogWriter> writer_;
  absl::Mutex mu_;
  // event_log_sequence of the newest model in service, if any.
  std::optional<uint64_t> model_sequence_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_EVENTS_H_
