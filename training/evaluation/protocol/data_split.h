// Splits of shop data into a training part and test customers, for the
// evaluation tool. Every split keeps the catalog and the customer table
// whole and divides only the events, so that item and customer rows mean
// the same on both sides.
//
//  - time:   events before a global cutoff train; purchases from the cutoff
//            up to an optional end are the test. Customers are ranked as of
//            the cutoff.
//  - last-days: per customer, the events in the last N days of their own
//            history are held out (purchases among them are the test); each
//            customer is ranked as of the start of their window.
//  - random: per customer, a seeded random `train_share` of their events
//            trains and the rest is held out (the protocol of the published
//            MovieLens tables); ranked as of the newest training event.
//
// Test customers are those with at least one training event and at least
// one held-out purchase; no held-out event is ever in the training part.
//
// Thread-safe: pure functions.
#ifndef TRAINING_EVALUATION_PROTOCOL_DATA_SPLIT_H_
#define TRAINING_EVALUATION_PROTOCOL_DATA_SPLIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "recommender/data/shop_data.h"

namespace recommender {

struct TestCustomer {
  int32_t customer = 0;  // Row in ShopData::customers.
  // The moment the customer's list is made for.
  absl::Time as_of;
  // Distinct items purchased in the held-out part, ascending.
  std::vector<int32_t> purchased;
};

struct DataSplit {
  // The input with only the training events (same items and customers).
  ShopData train;
  // Ascending by customer.
  std::vector<TestCustomer> test;
  int64_t held_out_events = 0;
};

enum class SplitKind { kTime, kLastDays, kRandom };

// A split as the command line spells it:
//   "time:YYYY-MM-DD"  global cutoff at midnight of that day in the shop's
//                      zone;
//   "last-days:N"      per customer, N >= 1;
//   "random-75-25"     per customer, 75 % train (any "random-A-B" with
//                      A + B = 100).
struct SplitSpec {
  SplitKind kind = SplitKind::kRandom;
  absl::CivilDay cutoff_day;
  int32_t days = 0;
  double train_share = 0.75;
  std::string text;  // As given.
};

// InvalidArgument naming the accepted forms for anything else.
absl::StatusOr<SplitSpec> ParseSplitSpec(absl::string_view text);

// Events at or after `cutoff` are held out; purchases in [cutoff, test_end)
// are the test (test_end unset: all of them).
DataSplit SplitAtTime(const ShopData& data, absl::Time cutoff,
                      std::optional<absl::Time> test_end = std::nullopt);

// Per customer, events at or after (their newest event - days) are held out.
DataSplit SplitLastDays(const ShopData& data, int32_t days);

// Per customer, round(train_share * n) of their n events, drawn without
// replacement by a generator seeded with `seed`, train; the rest are held
// out. Same seed, same split.
DataSplit SplitRandom(const ShopData& data, double train_share, uint64_t seed);

// Dispatches on `spec`; `utc_offset_seconds` places the time cutoff's
// midnight. `test_days` > 0 limits the time split's test window.
DataSplit ApplySplit(const ShopData& data, const SplitSpec& spec, uint64_t seed,
                     int32_t utc_offset_seconds, int32_t test_days);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_DATA_SPLIT_H_
