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

LiveState::LiveState(int max_events_per_customer, int64_t max_customers)
    : max_events_per_customer_(
          static_cast<size_t>(std::max(1, max_events_per_customer))),
      max_customers_per_shard_(
          max_customers <= 0
              ? 0
              : static_cast<size_t>(
                    std::max<int64_t>(1, (max_customers + kShards - 1) / kShards))) {}

namespace {

// Bytes a string holds on the heap (0 when it fits inline).
int64_t HeapBytes(const std::string& text) {
  return text.capacity() > std::string().capacity()
             ? static_cast<int64_t>(text.capacity()) + 1
             : 0;
}

// One customer's entry: the id in the table and in the recency list, the
// list node and the table slot.
int64_t CustomerBytes(const std::string& id) {
  return 2 * HeapBytes(id) + static_cast<int64_t>(
      sizeof(std::string) + 2 * sizeof(void*) + sizeof(std::string) +
      sizeof(std::vector<LiveEvent>) + sizeof(void*) + 1);
}

// A model version no snapshot has: asks for no remembered taste.
constexpr int64_t kNoModel = -1;

int64_t TasteBytes(const std::vector<float>& taste) {
  return static_cast<int64_t>(taste.capacity() * sizeof(float));
}

int64_t EventBytes(const LiveEvent& event) {
  return static_cast<int64_t>(sizeof(LiveEvent)) + HeapBytes(event.item_id) +
         HeapBytes(event.recommendation_id);
}

}  // namespace

LiveState::Shard& LiveState::ShardOf(absl::string_view customer_id) const {
  return shards_[absl::HashOf(customer_id) % kShards];
}

int64_t LiveState::Evict(std::vector<LiveEvent>* events) {
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
  if (victim == events->end()) return 0;
  const int64_t bytes = EventBytes(*victim);
  events->erase(victim);
  return bytes;
}

void LiveState::Changed(Shard& shard, Customer& customer) {
  customer.generation = ++shard.generations;
  if (customer.taste.has_value()) {
    shard.bytes -= TasteBytes(customer.taste->taste);
    customer.taste.reset();
  }
}

void LiveState::RemoveCustomer(Shard& shard, absl::string_view customer_id) {
  auto it = shard.customers.find(customer_id);
  Changed(shard, it->second);
  shard.bytes -= CustomerBytes(it->first);
  shard.recency.erase(it->second.recency);
  shard.customers.erase(it);
}

void LiveState::EvictCustomers(Shard& shard) const {
  if (max_customers_per_shard_ == 0) return;
  while (shard.customers.size() > max_customers_per_shard_) {
    const std::string& id = shard.recency.back();
    for (const LiveEvent& event : shard.customers.find(id)->second.events) {
      shard.bytes -= EventBytes(event);
      --shard.events;
    }
    ++shard.evicted;
    RemoveCustomer(shard, std::string(id));
  }
}

void LiveState::Apply(const events::LogRecord& record) {
  for (const events::LoggedEvent& logged : record.events()) {
    const std::optional<EventType> type = FromLogged(logged.type());
    if (!type.has_value()) continue;
    Shard& shard = ShardOf(logged.customer_id());
    absl::MutexLock lock(&shard.mu);
    auto [it, added] = shard.customers.try_emplace(logged.customer_id());
    Customer& customer = it->second;
    if (added) {
      shard.recency.push_front(logged.customer_id());
      shard.bytes += CustomerBytes(it->first);
    } else {
      shard.recency.splice(shard.recency.begin(), shard.recency,
                           customer.recency);
    }
    customer.recency = shard.recency.begin();
    std::vector<LiveEvent>& events = customer.events;
    events.push_back({logged.item_id(), *type, std::max(1, logged.quantity()),
                      logged.unix_seconds(), record.sequence(),
                      logged.recommendation_id()});
    shard.bytes += EventBytes(events.back());
    ++shard.events;
    Changed(shard, customer);
    if (events.size() > max_events_per_customer_) {
      if (const int64_t dropped = Evict(&events); dropped > 0) {
        shard.bytes -= dropped;
        --shard.events;
      }
    }
    if (added) EvictCustomers(shard);
  }
}

std::vector<LiveEvent> LiveState::EventsOf(absl::string_view customer_id,
                                           uint64_t after_sequence) const {
  return EventsWithTaste(customer_id, after_sequence, kNoModel).events;
}

LiveState::EventsAndTaste LiveState::EventsWithTaste(
    absl::string_view customer_id, uint64_t after_sequence,
    int64_t model_version) const {
  EventsAndTaste out;
  Shard& shard = ShardOf(customer_id);
  {
    absl::MutexLock lock(&shard.mu);
    auto it = shard.customers.find(customer_id);
    if (it == shard.customers.end()) return out;
    const Customer& customer = it->second;
    for (const LiveEvent& event : customer.events) {
      if (event.sequence > after_sequence) out.events.push_back(event);
    }
    out.generation = customer.generation;
    if (customer.taste.has_value() &&
        customer.taste->model_version == model_version &&
        customer.taste->after_sequence == after_sequence) {
      out.remembered_taste = customer.taste->taste;
    }
  }
  std::sort(out.events.begin(), out.events.end(),
            [](const LiveEvent& a, const LiveEvent& b) {
              return std::tie(a.unix_seconds, a.sequence) <
                     std::tie(b.unix_seconds, b.sequence);
            });
  return out;
}

void LiveState::RememberTaste(absl::string_view customer_id,
                              uint64_t generation, int64_t model_version,
                              uint64_t after_sequence,
                              std::vector<float> taste) const {
  Shard& shard = ShardOf(customer_id);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.customers.find(customer_id);
  if (it == shard.customers.end() || it->second.generation != generation) {
    return;
  }
  Customer& customer = it->second;
  if (customer.taste.has_value())
    shard.bytes -= TasteBytes(customer.taste->taste);
  shard.bytes += TasteBytes(taste);
  customer.taste =
      RememberedTaste{model_version, after_sequence, std::move(taste)};
}

void LiveState::DropThrough(uint64_t sequence) {
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    std::vector<std::string> emptied;
    for (auto& [id, customer] : shard.customers) {
      Changed(shard, customer);
      std::vector<LiveEvent>& events = customer.events;
      auto kept = std::stable_partition(events.begin(), events.end(),
                                 [sequence](const LiveEvent& event) {
                                   return event.sequence > sequence;
                                 });
      for (auto it = kept; it != events.end(); ++it) {
        shard.bytes -= EventBytes(*it);
        --shard.events;
      }
      events.erase(kept, events.end());
      if (events.empty()) emptied.push_back(id);
    }
    for (const std::string& id : emptied) RemoveCustomer(shard, id);
  }
}

int64_t LiveState::Erase(absl::string_view customer_id) {
  Shard& shard = ShardOf(customer_id);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.customers.find(customer_id);
  if (it == shard.customers.end()) return 0;
  const int64_t removed = static_cast<int64_t>(it->second.events.size());
  for (const LiveEvent& event : it->second.events) {
    shard.bytes -= EventBytes(event);
  }
  shard.events -= removed;
  RemoveCustomer(shard, customer_id);
  return removed;
}

int64_t LiveState::EraseIf(
    const std::function<bool(absl::string_view customer_id)>& erased) {
  int64_t removed = 0;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    std::vector<std::string> gone;
    for (const auto& [id, customer] : shard.customers) {
      if (!erased(id)) continue;
      removed += static_cast<int64_t>(customer.events.size());
      shard.events -= static_cast<int64_t>(customer.events.size());
      for (const LiveEvent& event : customer.events) {
        shard.bytes -= EventBytes(event);
      }
      gone.push_back(id);
    }
    for (const std::string& id : gone) RemoveCustomer(shard, id);
  }
  return removed;
}

std::vector<LiveState::CustomerActivity> LiveState::Activity(
    uint64_t after_sequence) const {
  std::vector<CustomerActivity> out;
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    for (const auto& [customer_id, customer] : shard.customers) {
      CustomerActivity activity;
      for (const LiveEvent& event : customer.events) {
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
    stats.customers += static_cast<int64_t>(shard.customers.size());
    stats.events += shard.events;
    stats.bytes += shard.bytes;
    stats.evicted_customers += shard.evicted;
  }
  return stats;
}

}  // namespace recommender
