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
// Erasure (right to erasure): Erase writes a tombstone holding the
// customer's ErasureKey, never the id; the customer joins the shared
// ErasedCustomers (which the snapshots consult) and their events leave the
// state. Every tombstone of the log is replayed into ErasedCustomers at
// Open, and an erased customer's events, before or after the tombstone, are
// never applied. Compact removes their events from the log's files.
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
#include "recommender/erasure/erased_customers.h"
#include "recommender/events/event_log_compaction.h"
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
    // Shared with the model snapshots (ModelManager); null: a set of its own.
    std::shared_ptr<ErasedCustomers> erased;
  };

  // Which events compaction removes besides erased customers'.
  enum class Retention {
    // Every other event stays (the trainer may read them again).
    kAll,
    // Events and items a model in service was trained on go (tombstones
    // stay): for shops whose exports hold everything the log did.
    kUntrained,
  };

  struct ErasureResult {
    // The tombstone's record; 0 if the customer had been erased before.
    uint64_t sequence = 0;
    int64_t live_events_removed = 0;
    bool already_erased = false;
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

  // Erases the customer: appends a tombstone durably, then forgets their
  // events. The customer counts as erased (snapshots, state) from before
  // the append; if it fails they do not, and the error is returned.
  // InvalidArgument for an id that is not one (ValidateId).
  absl::StatusOr<ErasureResult> Erase(absl::string_view customer_id);

  // Rewrites the log's segments without erased customers' events and, for
  // kUntrained, without what the model in service was trained on
  // (EventLogWriter::Compact).
  absl::StatusOr<events::CompactionStats> Compact(Retention retention);

  const ErasedCustomers& erased() const { return *erased_; }
  const LiveState& state() const { return state_; }
  const LiveCatalog& catalog() const { return catalog_; }
  events::EventLogWriter::Stats log_stats() const { return writer_->stats(); }

 private:
  LiveEvents(const Options& options, std::optional<uint64_t> model_sequence);

  // Drops the events of erased customers from `record`.
  void DropErased(events::LogRecord* record) const;

  const std::shared_ptr<ErasedCustomers> erased_;
  LiveState state_;
  LiveCatalog catalog_;
  std::unique_ptr<events::EventLogWriter> writer_;
  absl::Mutex mu_;
  // event_log_sequence of the newest model in service, if any.
  std::optional<uint64_t> model_sequence_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_EVENTS_H_
