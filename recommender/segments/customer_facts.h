// CustomerFacts: what segment selection needs to know about every customer
// at one moment (`as_of`), in columns: orders, revenue, last purchase, last
// event, profile attributes and the lifetime value the timing model
// predicts. Built once per snapshot and as_of in one pass over the
// purchase history; RFM scoring (rfm_scores.h), segment selection
// (segment_selector.h) and the RFM grid (rfm_grid.h) then read plain arrays
// instead of the snapshot's protos, which keeps selection over a million
// customers to a few tight loops.
//
// Customers are the snapshot's, in table order, followed by customers known
// only from `later` activity (events acknowledged since training), by id.
//
// Ownership: holds a reference to the snapshot (ids are views into it).
// Thread-safe: immutable after Build.
#ifndef RECOMMENDER_SEGMENTS_CUSTOMER_FACTS_H_
#define RECOMMENDER_SEGMENTS_CUSTOMER_FACTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/model/model_snapshot.h"

namespace recommender::segments {

// An event acknowledged after the snapshot was trained (the live state's),
// already priced.
struct LaterActivity {
  std::string customer_id;
  int64_t unix_seconds = 0;
  bool purchase = false;
  // Units times unit price, for purchases.
  double value = 0;
  // Profile of a customer the snapshot does not know; empty: unknown.
  std::string age_band;
  std::string gender;
  std::string region;
};

struct CustomerFactsOptions {
  // Purchases and events after this moment are not seen.
  absl::Time as_of;
  // Horizon of the lifetime value, days: (0, 3650].
  double lifetime_horizon_days = 365;
};

// The profile attributes a segment can filter on.
enum class Attribute { kAgeBand, kGender, kRegion };
inline constexpr int kNumAttributes = 3;

class CustomerFacts {
 public:
  // Reads every customer's purchases up to as_of. A purchase's value is
  // units times the unit price paid (the catalog price if the snapshot
  // does not record it); an order is a calendar day with a purchase in the
  // shop's zone (the timing model's UTC offset), as in the BTYD models.
  // The lifetime value is computed for customers with a purchase when the
  // snapshot has a customer-lifetime model (see lifetime_value.h).
  // InvalidArgument for a horizon out of range or later activity with an
  // empty customer id (naming the field).
  static absl::StatusOr<std::unique_ptr<const CustomerFacts>> Build(
      std::shared_ptr<const ModelSnapshot> snapshot,
      const CustomerFactsOptions& options,
      absl::Span<const LaterActivity> later = {});

  CustomerFacts(const CustomerFacts&) = delete;
  CustomerFacts& operator=(const CustomerFacts&) = delete;

  const ModelSnapshot& snapshot() const { return *snapshot_; }
  absl::Time as_of() const { return as_of_; }
  // Day number (days since 1970-01-01 in the shop's zone) of as_of.
  int64_t as_of_day() const { return as_of_day_; }

  int32_t size() const { return static_cast<int32_t>(orders_.size()); }
  absl::string_view id(int32_t c) const;
  // Row in the snapshot's customer table; -1 for customers known only from
  // later activity.
  int32_t snapshot_row(int32_t c) const {
    return c < snapshot_->num_customers() ? c : -1;
  }

  // Orders (distinct purchase days) up to as_of.
  absl::Span<const int32_t> orders() const { return orders_; }
  // Sum of purchase values up to as_of, shop currency.
  absl::Span<const double> revenue() const { return revenue_; }
  // Day number of the newest purchase; kNever if none.
  absl::Span<const int64_t> last_purchase_day() const {
    return last_purchase_day_;
  }
  // Newest purchase and newest event of any type, Unix seconds; 0 if none.
  absl::Span<const int64_t> last_purchase() const { return last_purchase_; }
  absl::Span<const int64_t> last_event() const { return last_event_; }
  // Expected spend over the horizon (lifetime_value.h); NaN when unknown
  // (no customer-lifetime model, or no purchase).
  absl::Span<const float> lifetime_value() const { return lifetime_value_; }
  bool has_lifetime_value() const { return has_lifetime_value_; }

  // Per attribute: a code per customer (0: not given) and the values the
  // codes stand for (values[0] is "").
  absl::Span<const uint32_t> attribute_codes(Attribute attribute) const {
    return attribute_codes_[static_cast<int>(attribute)];
  }
  const std::vector<std::string>& attribute_values(Attribute attribute) const {
    return attribute_values_[static_cast<int>(attribute)];
  }

  static constexpr int64_t kNever = INT64_MIN;

 private:
  CustomerFacts(std::shared_ptr<const ModelSnapshot> snapshot,
                absl::Time as_of, int64_t as_of_day);
  uint32_t Code(Attribute attribute, absl::string_view value);

  std::shared_ptr<const ModelSnapshot> snapshot_;
  absl::Time as_of_;
  int64_t as_of_day_ = 0;
  std::vector<std::string> later_ids_;
  std::vector<int32_t> orders_;
  std::vector<double> revenue_;
  std::vector<int64_t> last_purchase_day_;
  std::vector<int64_t> last_purchase_;
  std::vector<int64_t> last_event_;
  std::vector<float> lifetime_value_;
  bool has_lifetime_value_ = false;
  std::vector<uint32_t> attribute_codes_[kNumAttributes];
  std::vector<std::string> attribute_values_[kNumAttributes];
};

// "age_band", "gender", "region".
absl::string_view AttributeName(Attribute attribute);

}  // namespace recommender::segments

#endif  // RECOMMENDER_SEGMENTS_CUSTOMER_FACTS_H_
