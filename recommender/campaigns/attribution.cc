#include "recommender/campaigns/attribution.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "recommender/campaigns/arm_assignment.h"

namespace recommender::campaigns {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

bool Earlier(const CustomerEvent* a, const CustomerEvent* b) {
  // Views and carts before purchases of the same second: a click and the
  // purchase it led to are often logged together.
  return std::tie(a->unix_seconds, a->type, a->item_id) <
         std::tie(b->unix_seconds, b->type, b->item_id);
}

bool Same(const CustomerEvent* a, const CustomerEvent* b) {
  return a->unix_seconds == b->unix_seconds && a->item_id == b->item_id &&
         a->type == b->type;
}

}  // namespace

Attribution AttributePurchases(absl::string_view campaign_id,
                               absl::Span<const Send> sends,
                               absl::Span<const CustomerEvent> events,
                               int window_days, absl::Time now) {
  Attribution result;
  result.outcomes.resize(sends.size());
  absl::flat_hash_map<absl::string_view, size_t> send_of;
  send_of.reserve(sends.size());
  for (size_t i = 0; i < sends.size(); ++i) {
    send_of.emplace(sends[i].customer_id, i);
  }
  std::vector<std::vector<const CustomerEvent*>> events_of(sends.size());
  const int64_t window = int64_t{std::max(window_days, 1)} * kSecondsPerDay;
  for (const CustomerEvent& event : events) {
    auto it = send_of.find(event.customer_id);
    if (it == send_of.end()) continue;
    const int64_t start = sends[it->second].unix_seconds;
    if (event.unix_seconds < start || event.unix_seconds >= start + window) {
      continue;
    }
    events_of[it->second].push_back(&event);
  }
  const int64_t now_seconds = absl::ToUnixSeconds(now);
  absl::flat_hash_set<absl::string_view> picks;
  for (size_t i = 0; i < sends.size(); ++i) {
    const Send& send = sends[i];
    CustomerOutcome& out = result.outcomes[i];
    out.arm = send.arm;
    out.picks = static_cast<int32_t>(send.item_ids.size());
    out.window_open = send.unix_seconds + window > now_seconds;
    result.sends_with_open_window += out.window_open;
    std::vector<const CustomerEvent*>& mine = events_of[i];
    if (mine.empty()) continue;
    std::sort(mine.begin(), mine.end(), Earlier);
    const size_t before = mine.size();
    mine.erase(std::unique(mine.begin(), mine.end(), Same), mine.end());
    result.duplicates_removed += static_cast<int64_t>(before - mine.size());
    const std::string recommendation_id =
        send.arm == ArmAssigner::kControl
            ? std::string()
            : RecommendationId(campaign_id, send.customer_id);
    picks.clear();
    picks.insert(send.item_ids.begin(), send.item_ids.end());
    absl::flat_hash_set<absl::string_view> bought_picks;
    bool clicked = false;
    int64_t last_order = -1;
    for (const CustomerEvent* event : mine) {
      if (!recommendation_id.empty() &&
          event->recommendation_id == recommendation_id) {
        clicked = true;
      }
      if (event->type != EventType::kPurchase) continue;
      ++result.purchases_attributed;
      out.bought = true;
      out.revenue += event->value;
      if (event->unix_seconds != last_order) {
        ++out.orders;
        last_order = event->unix_seconds;
      }
      if (picks.contains(event->item_id)) bought_picks.insert(event->item_id);
      if (clicked) out.bought_after_click = true;
    }
    out.picks_bought = static_cast<int32_t>(bought_picks.size());
  }
  return result;
}

}  // namespace recommender::campaigns
