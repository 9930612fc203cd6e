// LiveState: the events acknowledged since the model in service was trained,
// per customer, in memory. It overlays the immutable snapshot: a purchase
// recorded a second ago already excludes that durable, and recent views
// already move the customer's vector (see live_context.h).
//
// Every event carries the sequence of its event-log record, so a reader
// asks only for events newer than its snapshot's manifest.event_log_sequence
// (what training already saw), and DropThrough forgets what a newer model
// has absorbed.
//
// Memory is bounded per customer: past `max_events_per_customer` the oldest
// view is dropped, else the oldest cart, else the oldest purchase of an
// item bought again since. The last purchase of each item is never
// dropped, so that what a heavy buyer bought stays excluded (owned
// durables; Recommend's exclude_purchased) however much they buy between
// trainings: a customer holds at most `max_events_per_customer` events or
// one per catalog item they bought, whichever is more.
//
// Thread-safe: all methods; customers are spread over independently locked
// shards.
#ifndef RECOMMENDER_LIVE_LIVE_STATE_H_
#define RECOMMENDER_LIVE_LIVE_STATE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "proto/event_log.pb.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct LiveEvent {
  std::string item_id;
  EventType type = EventType::kView;
  int32_t quantity = 1;
  int64_t unix_seconds = 0;
  // Sequence of the event-log record that holds it.
  uint64_t sequence = 0;
};

// The event type of the core for one of the log; nullopt for unspecified.
std::optional<EventType> FromLogged(events::EventType type);

class LiveState {
 public:
  explicit LiveState(int max_events_per_customer = 1000);

  LiveState(const LiveState&) = delete;
  LiveState& operator=(const LiveState&) = delete;

  // Adds every event of `record` under its sequence. Events of an
  // unspecified type are ignored (the writer never logs them).
  void Apply(const events::LogRecord& record);

  // The customer's events with sequence > `after_sequence`, oldest first
  // (by time, then sequence).
  std::vector<LiveEvent> EventsOf(absl::string_view customer_id,
                                  uint64_t after_sequence) const;

  // Forgets events with sequence <= `sequence`.
  void DropThrough(uint64_t sequence);

  struct CustomerActivity {
    std::string customer_id;
    // Newest purchase and newest event of any type, Unix seconds; 0 if none.
    int64_t last_purchase = 0;
    int64_t last_event = 0;
  };
  // Every customer with events newer than `after_sequence`, sorted by id.
  std::vector<CustomerActivity> Activity(uint64_t after_sequence) const;

  struct Stats {
    int64_t customers = 0;
    int64_t events = 0;
  };
  Stats stats() const;

 private:
  static constexpr int kShards = 16;
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, std::vector<LiveEvent>> events
        ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(absl::string_view customer_id) const;
  // Drops one event of an over-full customer, if one may go.
  static void Evict(std::vector<LiveEvent>* events);

  const size_t max_events_per_customer_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_STATE_H_
