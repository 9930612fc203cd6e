// ErasedCustomers: the customers erased at their request (right to erasure,
// GDPR art. 17 / APPI art. 35), which every part of the system must then
// treat as unknown: the served snapshot masks their row, the live state
// forgets their events, campaign selectors skip them, the trainer drops
// their rows and the event log's compaction removes their events.
//
// A customer is remembered by ErasureKey(id), a SHA-256 of the id, never by
// the id: the tombstone in the event log holds the key, so after compaction
// and retraining no file holds the id. (The key lets someone who already
// knows an id check whether it was erased; it reveals nothing else.)
//
// Thread-safe: all methods. Lookups take a shared lock, and cost nothing
// beyond an atomic load while no customer has been erased.
#ifndef RECOMMENDER_ERASURE_ERASED_CUSTOMERS_H_
#define RECOMMENDER_ERASURE_ERASED_CUSTOMERS_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace recommender {

// Bytes of an erasure key.
inline constexpr size_t kErasureKeyBytes = 32;

// SHA-256 of a fixed prefix and `customer_id`: 32 bytes.
std::string ErasureKey(absl::string_view customer_id);

class ErasedCustomers {
 public:
  ErasedCustomers() = default;
  ErasedCustomers(const ErasedCustomers&) = delete;
  ErasedCustomers& operator=(const ErasedCustomers&) = delete;

  // Remembers the key (as made by ErasureKey); false if it was there. A
  // key of another size is kept too and simply never matches an id.
  bool AddKey(std::string key);
  // Forgets the key (an erasure that could not be made durable).
  void RemoveKey(const std::string& key);

  bool ContainsKey(absl::string_view key) const;
  // True if `customer_id` was erased.
  bool Contains(absl::string_view customer_id) const;

  int64_t size() const { return size_.load(std::memory_order_acquire); }
  bool empty() const { return size() == 0; }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_set<std::string> keys_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> size_{0};
};

}  // namespace recommender

#endif  // RECOMMENDER_ERASURE_ERASED_CUSTOMERS_H_
