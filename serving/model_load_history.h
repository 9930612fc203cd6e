// ModelLoadHistory: the model versions the server tried to put in service,
// loaded or refused, newest first, for the operations status
// (operations_service.h). Keeps the last `capacity` attempts.
//
// Thread-safe: the model manager's thread adds, request threads read.
#ifndef SERVING_MODEL_LOAD_HISTORY_H_
#define SERVING_MODEL_LOAD_HISTORY_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace recommender::serving {

class ModelLoadHistory {
 public:
  struct Attempt {
    int64_t version = 0;
    absl::Time at;
    bool loaded = false;
    // Why it was refused; empty if loaded.
    std::string error;
  };

  explicit ModelLoadHistory(size_t capacity = 100) : capacity_(capacity) {}

  void Loaded(int64_t version, absl::Time at);
  void Refused(int64_t version, absl::Time at, std::string error);

  // Newest first.
  std::vector<Attempt> Attempts() const;

 private:
  void Add(Attempt attempt);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<Attempt> attempts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace recommender::serving

#endif  // SERVING_MODEL_LOAD_HISTORY_H_
