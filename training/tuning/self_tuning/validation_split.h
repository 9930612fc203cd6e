// The validation slice the self-tuning scores its trials on: part of the
// training data held out the way the model will be judged.
//
//  - time (the trainer's, and the evaluation's time splits): the last N days
//    of the data are held out and customers are ranked as of their start, as
//    the evaluation's time split does. N is the horizon the model will be
//    judged on when it is known (an evaluation's test window, up to half
//    the history), else the shop's purchase cadence: the median number of
//    days between a customer's consecutive purchase days, at least 7. It is
//    widened (doubled, up to half the history) until enough customers buy
//    in the window.
//  - random (the evaluation's random splits, e.g. MovieLens' published
//    protocol): a seeded share of each customer's events, as that split does.
//
// Thread-safe: pure functions.
#ifndef TRAINING_TUNING_SELF_TUNING_VALIDATION_SPLIT_H_
#define TRAINING_TUNING_SELF_TUNING_VALIDATION_SPLIT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"
#include "training/evaluation/protocol/data_split.h"

namespace recommender {

enum class ValidationKind { kTime, kRandom };

struct ValidationOptions {
  ValidationKind kind = ValidationKind::kTime;
  // Time: the window in days, fixed (never widened); 0: from the horizon
  // or the purchase cadence.
  int32_t days = 0;
  // Time: the days the model's picks will be judged over, when known (an
  // evaluation's test window: a list good for the next three months is not
  // the list good for the next week); 0: unknown, the cadence decides.
  int32_t horizon_days = 0;
  // Random: the share of each customer's events held out.
  double held_out_share = 0.25;
  // Fewer validation customers than this: the window is widened, and if
  // that does not help the tuning is refused (FailedPrecondition).
  int32_t min_customers = 50;
  // More validation customers than this: a seeded sample of this many is
  // scored (0: all). Bounds the cost of scoring a trial on a large shop
  // while keeping enough customers to tell settings apart.
  int32_t max_customers = 5000;
  uint64_t seed = 1;
  // The shop's zone, for calendar days.
  int32_t utc_offset_seconds = 0;
};

// The median days between a customer's consecutive purchase days (pooled
// over customers), rounded up and at least 7; 7 without repeat purchases.
int32_t PurchaseCadenceDays(const ShopData& data, int32_t utc_offset_seconds);

struct ValidationSplit {
  DataSplit split;
  // Time: the window's length in days (0 for random).
  int32_t days = 0;
  // "time: the last 13 days (from 2026-09-17T15:00:00Z)", and the sample
  // when the window held more than options.max_customers customers.
  std::string description;
  // Customers with history and a purchase in the held-out part, before
  // the sample.
  int32_t eligible_customers = 0;
};

// FailedPrecondition if too few customers (options.min_customers) have both
// history and a purchase in the held-out part.
absl::StatusOr<ValidationSplit> MakeValidationSplit(
    const ShopData& data, const ValidationOptions& options);

}  // namespace recommender

#endif  // TRAINING_TUNING_SELF_TUNING_VALIDATION_SPLIT_H_
