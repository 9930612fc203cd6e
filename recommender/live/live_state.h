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
// The number of customers is bounded too: past `max_customers` the
// customer whose latest event arrived longest ago is forgotten (least
// recently updated first; counted in stats().evicted_customers). A
// forgotten customer's events are still in the event log and reach the
// next training; until then answers for them come from the model alone.
//
// Thread-safe: all methods; customers are spread over independently locked
// shards.
#ifndef RECOMMENDER_LIVE_LIVE_STATE_H_
#define RECOMMENDER_LIVE_LIVE_STATE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <list>
#include <optional>
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
  // The response whose pick led to it; may be empty.
  std::string recommendation_id;
};

// The event type of the core for one of the log; nullopt for unspecified.
std::optional<EventType> FromLogged(events::EventType type);

class LiveState {
 public:
  // At most `max_events_per_customer` events per customer (at least 1) and
  // about `max_customers` customers (at least one per shard; 0: no bound).
  explicit LiveState(int max_events_per_customer = 1000,
                     int64_t max_customers = kDefaultMaxCustomers);

  static constexpr int64_t kDefaultMaxCustomers = 1000000;

  LiveState(const LiveState&) = delete;
  LiveState& operator=(const LiveState&) = delete;

  // Adds every event of `record` under its sequence. Events of an
  // unspecified type are ignored (the writer never logs them).
  void Apply(const events::LogRecord& record);

  // The customer's events with sequence > `after_sequence`, oldest first
  // (by time, then sequence).
  std::vector<LiveEvent> EventsOf(absl::string_view customer_id,
                                  uint64_t after_sequence) const;

  // The customer's events with sequence > `after_sequence` (as EventsOf),
  // with the vector folded in from exactly those events for
  // `model_version` if one was remembered (RememberTaste), and the
  // generation of the customer's events: a number that changes whenever
  // they do (never reused, not even for a customer forgotten and seen
  // again).
  struct EventsAndTaste {
    std::vector<LiveEvent> events;
    uint64_t generation = 0;
    std::vector<float> remembered_taste;  // Empty if none.
  };
  EventsAndTaste EventsWithTaste(absl::string_view customer_id,
                                 uint64_t after_sequence,
                                 int64_t model_version) const;

  // Remembers `taste`, folded in under `model_version` from the customer's
  // events with sequence > `after_sequence` as they were at `generation`,
  // so that EventsWithTaste returns it until the customer's events change
  // (a new event, an eviction, DropThrough, Erase). Ignored if they changed
  // since `generation`. Its bytes count in stats().bytes. Const: a memo,
  // not a change of what the state holds.
  void RememberTaste(absl::string_view customer_id, uint64_t generation,
                     int64_t model_version, uint64_t after_sequence,
                     std::vector<float> taste) const;

  // Forgets events with sequence <= `sequence`, and every remembered taste.
  void DropThrough(uint64_t sequence);

  // Forgets every event of the customer; returns how many there were.
  int64_t Erase(absl::string_view customer_id);
  // Forgets every event of each customer for whom `erased` is true; returns
  // how many events that was.
  int64_t EraseIf(const std::function<bool(absl::string_view customer_id)>& erased);

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
    // Customers forgotten to stay within max_customers, since construction.
    int64_t evicted_customers = 0;
    // Estimated bytes held: ids, events and the tables' per-entry overhead.
    int64_t bytes = 0;
  };
  // Kept up to date as events come and go: cheap to call.
  Stats stats() const;

 private:
  static constexpr int kShards = 16;
  struct RememberedTaste {
    int64_t model_version = 0;
    uint64_t after_sequence = 0;
    std::vector<float> taste;
  };
  struct Customer {
    std::vector<LiveEvent> events;
    // Changes with every change of `events`; see EventsWithTaste.
    uint64_t generation = 0;
    // Valid for `generation` only (cleared when it changes).
    std::optional<RememberedTaste> taste;
    // This customer's place in the shard's recency list.
    std::list<std::string>::iterator recency;
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Customer> customers ABSL_GUARDED_BY(mu);
    // Customer ids, most recently updated first.
    std::list<std::string> recency ABSL_GUARDED_BY(mu);
    int64_t events ABSL_GUARDED_BY(mu) = 0;
    int64_t bytes ABSL_GUARDED_BY(mu) = 0;
    int64_t evicted ABSL_GUARDED_BY(mu) = 0;
    // The last generation handed out in this shard.
    uint64_t generations ABSL_GUARDED_BY(mu) = 0;
  };

  Shard& ShardOf(absl::string_view customer_id) const;
  // Drops one event of an over-full customer, if one may go; returns its
  // estimated bytes, 0 if none went.
  static int64_t Evict(std::vector<LiveEvent>* events);
  // Marks the customer's events as changed: a new generation, and the
  // remembered taste (if any) forgotten.
  static void Changed(Shard& shard, Customer& customer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);
  // Removes a customer whose events are already accounted for as removed.
  static void RemoveCustomer(Shard& shard, absl::string_view customer_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);
  // Forgets the least recently updated customers past the shard's bound.
  void EvictCustomers(Shard& shard) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  const size_t max_events_per_customer_;
  // Per shard; 0: no bound.
  const size_t max_customers_per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace recommender

#endif  // RECOMMENDER_LIVE_LIVE_STATE_H_
