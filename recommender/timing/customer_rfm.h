// A customer's purchase history reduced to what the "buy till you die"
// models need (Fader, Hardie & Lee 2005): how many repeat transactions, when
// the last one was, how long the customer has been watched, and the mean
// value of the repeat transactions.
//
// A transaction is a calendar day with at least one purchase (same-day
// purchases are merged, as in the published CDNOW analyses). Times are in
// a caller-chosen unit (weeks for CDNOW, days for shop data).
//
// Thread-safe: plain data and pure functions.
#ifndef RECOMMENDER_TIMING_CUSTOMER_RFM_H_
#define RECOMMENDER_TIMING_CUSTOMER_RFM_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/types/span.h"

namespace recommender {

struct CustomerRfm {
  // x: transactions after the first one, up to the end of the period.
  double frequency = 0;
  // t_x: time of the last transaction, measured from the first.
  double recency = 0;
  // T: time from the first transaction to the end of the period.
  double age = 0;
  // z-bar: mean value of the repeat transactions; 0 without repeats.
  double mean_repeat_value = 0;
};

// One purchase: its day number (days since 1970-01-01 in the shop's time
// zone) and its value (price times quantity; 0 if unknown).
struct DatedPurchase {
  int64_t day = 0;
  double value = 0;
};

// The calendar day of `unix_seconds` in a zone `utc_offset_seconds` east
// of UTC, as days since 1970-01-01.
int64_t DayNumber(int64_t unix_seconds, int32_t utc_offset_seconds);

// Days since 1970-01-01 of a calendar day.
int64_t DayNumber(absl::CivilDay day);

// Summarizes the purchases made on or before `end_day`; times are divided
// by `days_per_unit` (7 for weeks). Purchases need not be sorted. nullopt
// when there is no purchase on or before `end_day`.
std::optional<CustomerRfm> SummarizePurchases(
    absl::Span<const DatedPurchase> purchases, int64_t end_day,
    double days_per_unit);

// The transaction days (distinct purchase days, ascending) on or before
// `end_day`, with their summed values.
std::vector<DatedPurchase> TransactionDays(
    absl::Span<const DatedPurchase> purchases, int64_t end_day);

}  // namespace recommender

#endif  // RECOMMENDER_TIMING_CUSTOMER_RFM_H_
