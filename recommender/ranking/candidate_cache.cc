#include "recommender/ranking/candidate_cache.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace recommender {

CandidateCache::CandidateCache(const Options& options)
    : options_(options),
      max_per_shard_(options.max_entries <= 0
                         ? 0
                         : (options.max_entries + kShards - 1) / kShards) {}

CandidateCache::Shard& CandidateCache::ShardOf(absl::string_view customer_id) {
  return shards_[absl::Hash<absl::string_view>()(customer_id) % kShards];
}

CandidateList CandidateCache::Find(absl::string_view customer_id, int slot,
                                   const CandidateStamp& stamp) {
  Shard& shard = ShardOf(customer_id);
  absl::MutexLock lock(&shard.mu);
  auto found = shard.by_customer.find(customer_id);
  if (found == shard.by_customer.end() ||
      found->second->slots[slot].list == nullptr) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  Entry& entry = *found->second;
  if (!(entry.slots[slot].stamp == stamp)) {
    entry.slots[slot] = Slot();
    invalidations_.fetch_add(1, std::memory_order_relaxed);
    misses_.fetch_add(1, std::memory_order_relaxed);
    const bool empty =
        std::all_of(entry.slots.begin(), entry.slots.end(),
                    [](const Slot& s) { return s.list == nullptr; });
    if (empty) {
      shard.lru.erase(found->second);
      shard.by_customer.erase(found);
      entries_.fetch_sub(1, std::memory_order_relaxed);
    }
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, found->second);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return entry.slots[slot].list;
}

CandidateList CandidateCache::Insert(absl::string_view customer_id, int slot,
                                     CandidateStamp stamp,
                                     std::vector<ScoredItem> list) {
  CandidateList stored =
      std::make_shared<const std::vector<ScoredItem>>(std::move(list));
  if (max_per_shard_ == 0) return stored;
  Shard& shard = ShardOf(customer_id);
  absl::MutexLock lock(&shard.mu);
  auto found = shard.by_customer.find(customer_id);
  if (found != shard.by_customer.end()) {
    found->second->slots[slot] = Slot{std::move(stamp), stored};
    shard.lru.splice(shard.lru.begin(), shard.lru, found->second);
    return stored;
  }
  while (static_cast<int64_t>(shard.lru.size()) >= max_per_shard_) {
    shard.by_customer.erase(shard.lru.back().customer_id);
    shard.lru.pop_back();
    entries_.fetch_sub(1, std::memory_order_relaxed);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  shard.lru.push_front(Entry{std::string(customer_id), {}});
  shard.lru.front().slots[slot] = Slot{std::move(stamp), stored};
  shard.by_customer.emplace(shard.lru.front().customer_id, shard.lru.begin());
  entries_.fetch_add(1, std::memory_order_relaxed);
  return stored;
}

void CandidateCache::Invalidate(absl::string_view customer_id) {
  Shard& shard = ShardOf(customer_id);
  absl::MutexLock lock(&shard.mu);
  auto found = shard.by_customer.find(customer_id);
  if (found == shard.by_customer.end()) return;
  shard.lru.erase(found->second);
  shard.by_customer.erase(found);
  entries_.fetch_sub(1, std::memory_order_relaxed);
  invalidations_.fetch_add(1, std::memory_order_relaxed);
}

void CandidateCache::Clear() {
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    entries_.fetch_sub(static_cast<int64_t>(shard.lru.size()),
                       std::memory_order_relaxed);
    invalidations_.fetch_add(static_cast<int64_t>(shard.lru.size()),
                             std::memory_order_relaxed);
    shard.by_customer.clear();
    shard.lru.clear();
  }
}

CandidateCache::Stats CandidateCache::stats() const {
  Stats stats;
  stats.hits = hits_.load(std::memory_order_relaxed);
  stats.misses = misses_.load(std::memory_order_relaxed);
  stats.evictions = evictions_.load(std::memory_order_relaxed);
  stats.invalidations = invalidations_.load(std::memory_order_relaxed);
  stats.entries = entries_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace recommender
