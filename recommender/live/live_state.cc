#include "recommender/live/live_state.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"

namespace recommender {

std::optional<EventType> FromLogged(events::EventType type) {
  switch (type) {
    case events::VIEW:
      return EventType::kView;
    case events::CART:
      return EventType::kCart;
    case events::PURCHASE:
      return EventType::kPurchase;
    default:
      return std::nullopt;
  }
}

LiveState::LiveState(int max_events_per_customer)
    : max_events_per_customer_(
          static_cast<size_t>(std::max(1, max_events_per_customer))) {}

LiveState::Shard& LiveState::ShardOf(absl::string_view customer_id) const {
  return shards_[absl::HashOf(customer_id) % kShards];
}

void LiveState::Evict(std::vector<LiveEvent>* events) {
  // The oldest event of `type` for which `droppable` holds.
  auto oldest = [&](EventType type, const auto& droppable) {
    auto found = events->end();
    for (auto it = events->begin(); it != events->end(); ++it) {
      if (it->type != type || !droppable(*it)) continue;
      if (found == events->end() || it->unix_seconds < found->unix_seconds) {
        found = it;
      }
    }
    return found;
  };
  auto any = [](const LiveEvent&) { return true; };
  auto victim = oldest(EventType::kView, any);
  if (victim == events->end()) victim = oldest(EventType::kCart, any);
  if (victim == events->end()) {
    // A purchase of an item bought again since: the later one keeps it
    // excluded.
    absl::flat_hash_map<absl::string_view, int64_t> last_bought;
    for (const LiveEvent& e : *events) {
      int64_t& last = last_bought[e.item_id];
      last = std::max(last, e.unix_seconds);
    }
    victim = oldest(EventType::kPurchase, [&](const LiveEvent& purchase) {
      return purchase.unix_seconds < last_bought[purchase.item_id];
    });
  }
  // Only last purchases of distinct items left: all kept.
  if (victim != events->end()) events->erase(victim);
}

void LiveState::Apply(const events::LogRecord& record) {
  for (const events::LoggedEvent& logged : record.events()) {
    const std::optional<EventType> type = FromLogged(logged.type());
    if (!type.has_value()) continue;
    Shard& shard = ShardOf(logged.customer_id());
    absl::MutexLock lock(&shard.mu);
    std::vector<LiveEvent>& events = shard.events[logged.customer_id()];
    events.push_back({logged.item_id(), *type, std::max(1, logged.quantity()),
                      logged.unix_seconds(), record.sequence()});
    if (events.size() > max_events_per_customer_) Evict(&events);
  }
}

std::vector<LiveEvent> LiveState::EventsOf(absl::string_view customer_id,
                                           uint64_t after_sequence) const {
  std::vector<LiveEvent> out;
  Shard& shard = ShardOf(customer_id);
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.events.find(customer_id);
    if (it == shard.events.end()) return out;
    for (const LiveEvent& event : it->second) {
      if (event.sequence > after_sequence) out.push_back(event);
    }
  }
  std::sort(out.begin(), out.end(), [](const LiveEvent& a, const LiveEvent& b) {
    return std::tie(a.unix_seconds, a.sequence) <
           std::tie(b.unix_seconds, b.sequence);
  });
  return out;
}

void LiveState::DropThrough(uint64_t sequence) {
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    for (auto it = shard.events.begin(); it != shard.events.end();) {
      std::vector<LiveEvent>& events = it->second;
      events.erase(std::remove_if(events.begin(), events.end(),
                                  [sequence](const LiveEvent& event) {
                                    return event.sequence <= sequence;
                                  }),
                   events.end());
      if (events.empty()) {
        shard.events.erase(it++);
      } else {
        ++it;
      }
    }
  }
}

std::vector<LiveState::CustomerActivity> LiveState::Activity(
    uint64_t after_sequence) const {
  std::vector<CustomerActivity> out;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    for (const auto& [customer_id, events] : shard.events) {
      CustomerActivity activity;
      for (const LiveEvent& event : events) {
        if (event.sequence <= after_sequence) continue;
        activity.last_event = std::max(activity.last_event, event.unix_seconds);
        if (event.type == EventType::kPurchase) {
          activity.last_purchase =
              std::max(activity.last_purchase, event.unix_seconds);
        }
      }
      if (activity.last_event == 0) continue;
      activity.customer_id = customer_id;
      out.push_back(std::move(activity));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const CustomerActivity& a, const CustomerActivity& b) {
              return a.customer_id < b.customer_id;
            });
  return out;
}

LiveState::Stats LiveState::stats() const {
  Stats stats;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    stats.customers += static_cast<int64_t>(shard.events.size());
    for (const auto& [id, events] : shard.events) {
      stats.events += static_cast<int64_t>(events.size());
    }
  }
  return stats;
}

}  // namespace recommender
