// CandidateCache: per-customer lists of scored, unfiltered candidates, so
// that a customer's later requests skip the nearest-neighbour search and only
// apply filters, exclusions, the repurchase stage and reasons to the list.
//
// Correct by construction: an entry is valid only for the exact inputs its
// list was computed from, which are stored in it and compared on every
// lookup:
//   - the model version (a model swap kills every entry);
//   - the taste vector searched (fold-in from live events changes it);
//   - the items bought since training (a purchase changes what is excluded).
// A lookup whose stamp differs erases the entry (counted as an
// invalidation). The list holds no filtering decision: every request still
// filters it, so a durable bought live is excluded even from a list cached
// before the purchase. Invalidate() lets the event path drop an entry early.
//
// A customer's entry has kCandidateSlots slots, each a list with its own
// stamp: a snapshot whose factor blocks serve requests with and without
// exclude_purchased apart searches a different taste for each kind, and a
// page showing both shelves would otherwise evict its own list every call.
//
// Memory is bounded: at most `max_entries` entries (LRU per shard), each
// up to kCandidateSlots lists of `candidates` items of 8 bytes plus their
// stamps (dimension floats and the live purchases).
//
// Thread-safe: customers are spread over independently locked shards;
// stats are atomics.
#ifndef RECOMMENDER_RANKING_CANDIDATE_CACHE_H_
#define RECOMMENDER_RANKING_CANDIDATE_CACHE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "recommender/index/item_index.h"

namespace recommender {

// The inputs a candidate list was computed from.
struct CandidateStamp {
  int64_t model_version = 0;
  std::vector<float> taste;
  std::vector<int32_t> live_purchases;  // In the order LiveContext holds.

  bool operator==(const CandidateStamp& other) const {
    return model_version == other.model_version && taste == other.taste &&
           live_purchases == other.live_purchases;
  }
};

using CandidateList = std::shared_ptr<const std::vector<ScoredItem>>;

// Lists kept per customer (slots 0 .. kCandidateSlots - 1).
inline constexpr int kCandidateSlots = 2;

class CandidateCache {
 public:
  struct Options {
    // Most entries held; 0 turns the cache off (every Find misses).
    int64_t max_entries = 100000;
    // Items searched and kept per entry (the list is cut to the catalog).
    int candidates = 64;
  };

  explicit CandidateCache(const Options& options);

  CandidateCache(const CandidateCache&) = delete;
  CandidateCache& operator=(const CandidateCache&) = delete;

  int candidates() const { return options_.candidates; }

  // The list cached in the customer's `slot` (0 .. kCandidateSlots - 1) if
  // its stamp equals `stamp`; null otherwise (a stale list is erased).
  // Counts a hit or a miss.
  CandidateList Find(absl::string_view customer_id, int slot,
                     const CandidateStamp& stamp);

  // Stores `list` in the customer's `slot` (replacing what it held; other
  // slots are kept), evicting the least recently used entry of the shard
  // when a new customer does not fit. Returns the stored list.
  CandidateList Insert(absl::string_view customer_id, int slot,
                       CandidateStamp stamp, std::vector<ScoredItem> list);

  // Drops the customer's entry, every slot, if any (e.g. on a new live
  // event).
  void Invalidate(absl::string_view customer_id);

  // Drops every entry.
  void Clear();

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t evictions = 0;      // Dropped to stay under max_entries.
    int64_t invalidations = 0;  // Dropped because their inputs changed.
    int64_t entries = 0;        // Customers with at least one list.
  };
  Stats stats() const;

 private:
  static constexpr int kShards = 16;
  struct Slot {
    CandidateStamp stamp;
    CandidateList list;  // Null: empty.
  };
  struct Entry {
    std::string customer_id;
    std::array<Slot, kCandidateSlots> slots;
  };
  struct Shard {
    absl::Mutex mu;
    // Most recently used first.
    std::list<Entry> lru ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<std::string, std::list<Entry>::iterator> by_customer
        ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(absl::string_view customer_id);

  const Options options_;
  const int64_t max_per_shard_;
  std::array<Shard, kShards> shards_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
  std::atomic<int64_t> evictions_{0};
  std::atomic<int64_t> invalidations_{0};
  std::atomic<int64_t> entries_{0};
};

}  // namespace recommender

#endif  // RECOMMENDER_RANKING_CANDIDATE_CACHE_H_
