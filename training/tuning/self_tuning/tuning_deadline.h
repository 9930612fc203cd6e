// The self-tuning's wall-time budget, shared by its stages. Each stage asks
// whether a step of a measured cost still fits before its share of the
// budget is spent; the learned ranker's stage, which comes last, sizes its
// work from what is left (RoundsThatFit).
//
// The clock is injected so that the arithmetic is testable without
// waiting; an unbounded deadline (InfiniteDuration) never passes, for runs
// that fix their amount of work instead of their time.
//
// Not thread-safe: used by the tuning's driving thread only.
#ifndef TRAINING_TUNING_SELF_TUNING_TUNING_DEADLINE_H_
#define TRAINING_TUNING_SELF_TUNING_TUNING_DEADLINE_H_

#include <cstdint>
#include <functional>

#include "absl/time/time.h"

namespace recommender {

class TuningDeadline {
 public:
  using Clock = std::function<absl::Time()>;

  // The budget starts now (clock()). An empty clock means absl::Now.
  TuningDeadline(absl::Duration budget, Clock clock);

  bool bounded() const { return budget_ != absl::InfiniteDuration(); }
  absl::Duration budget() const { return budget_; }
  absl::Time Now() const { return clock_(); }
  absl::Duration Elapsed() const { return Now() - start_; }
  // What is left of the budget; zero once spent, infinite when unbounded.
  absl::Duration Remaining() const;
  // The instant at which `share` (in [0, 1]) of the budget is spent;
  // InfiniteFuture when unbounded.
  absl::Time At(double share) const;
  // Whether a step expected to last `expected`, started now, ends by
  // At(share). Always true when unbounded.
  bool Fits(absl::Duration expected, double share = 1) const;
  bool Passed(double share = 1) const { return Now() >= At(share); }

 private:
  absl::Duration budget_;
  Clock clock_;
  absl::Time start_;
};

// The boosting rounds, at most `wanted` and at least 1, whose expected
// cost (`per_round` each) fits into `available`. A non-positive
// `per_round` (nothing measured) fits all of them.
int32_t RoundsThatFit(int32_t wanted, absl::Duration per_round,
                      absl::Duration available);

// The share of `total` items (validation customers) whose expected cost
// (`per_item` each) fits into `available`: at least min(total, at_least),
// at most total.
int64_t ItemsThatFit(int64_t total, absl::Duration per_item,
                     absl::Duration available, int64_t at_least);

}  // namespace recommender

#endif  // TRAINING_TUNING_SELF_TUNING_TUNING_DEADLINE_H_
