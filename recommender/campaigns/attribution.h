// Attribution: what each customer of a campaign did in the attribution
// window after their send (or, for the held-back group, after the moment
// they were held back). The same rules hold for both groups, so their
// difference is the campaign's effect.
//
// For a send at t0 and a window of W days, a customer's purchases at
// t0 <= t < t0 + W days count. Reported per customer:
//   - bought: any purchase in the window;
//   - orders and revenue: an order is a distinct purchase moment (the
//     lines of one checkout share their time); revenue sums their values;
//   - picks bought: distinct items of the send bought in the window (for
//     control: of the items it would have been sent, if recorded);
//   - bought after a click: a purchase in the window at or after an event
//     carrying the send's recommendation id (the mail's links; a click is
//     a view or cart event sent with that id, see RecordEvents).
// Events may come from several sources (the live event log, the snapshot's
// history, a re-imported export): identical ones (customer, item, type,
// time) count once.
//
// Thread-safe: pure function.
#ifndef RECOMMENDER_CAMPAIGNS_ATTRIBUTION_H_
#define RECOMMENDER_CAMPAIGNS_ATTRIBUTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "recommender/campaigns/send.h"
#include "recommender/data/shop_data.h"

namespace recommender::campaigns {

// One thing a customer did.
struct CustomerEvent {
  std::string customer_id;
  std::string item_id;
  EventType type = EventType::kPurchase;
  int64_t unix_seconds = 0;
  // For purchases: units times the price paid.
  double value = 0;
  // Set on events that followed a campaign mail's (or a widget's) link.
  std::string recommendation_id;
};

struct CustomerOutcome {
  // As in Send::arm.
  int arm = -1;
  bool bought = false;
  int32_t orders = 0;
  double revenue = 0;
  int32_t picks = 0;
  int32_t picks_bought = 0;
  bool bought_after_click = false;
  // The window had not ended at the time of attribution.
  bool window_open = false;
};

struct Attribution {
  // Parallel to the sends.
  std::vector<CustomerOutcome> outcomes;
  // Purchase events of the campaign's customers in their windows, after
  // removing duplicates.
  int64_t purchases_attributed = 0;
  int64_t duplicates_removed = 0;
  int64_t sends_with_open_window = 0;
};

// Attributes `events` (any order; events of other customers are ignored)
// to the campaign's `sends` with a window of `window_days` (>= 1) days,
// as of `now`. O(sends + events), plus sorting each customer's events.
Attribution AttributePurchases(absl::string_view campaign_id,
                               absl::Span<const Send> sends,
                               absl::Span<const CustomerEvent> events,
                               int window_days, absl::Time now);

}  // namespace recommender::campaigns

#endif  // RECOMMENDER_CAMPAIGNS_ATTRIBUTION_H_
