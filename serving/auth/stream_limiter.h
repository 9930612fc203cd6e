// StreamLimiter: a cap on the streams (BatchRecommend) one API key may have
// open at once, so that one campaign tool cannot take every request thread.
// A slot is held for the stream's life and given back when the Slot is
// destroyed.
//
// Thread-safe: all methods; a Slot may be destroyed on any thread.
#ifndef SERVING_AUTH_STREAM_LIMITER_H_
#define SERVING_AUTH_STREAM_LIMITER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace recommender::serving::auth {

class StreamLimiter {
 public:
  // One open stream; releases it when destroyed. Movable.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept { *this = std::move(other); }
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { Release(); }

   private:
    friend class StreamLimiter;
    Slot(StreamLimiter* limiter, std::string key_id)
        : limiter_(limiter), key_id_(std::move(key_id)) {}
    void Release();

    StreamLimiter* limiter_ = nullptr;
    std::string key_id_;
  };

  // `max_per_key` < 1: no cap.
  explicit StreamLimiter(int max_per_key) : max_per_key_(max_per_key) {}

  // A slot for one more stream of the key; ResourceExhausted naming the cap
  // if it has max_per_key open already. The limiter must outlive the slot.
  absl::StatusOr<Slot> Acquire(absl::string_view key_id);

  int open(absl::string_view key_id) const;

 private:
  const int max_per_key_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> open_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender::serving::auth

#endif  // SERVING_AUTH_STREAM_LIMITER_H_
