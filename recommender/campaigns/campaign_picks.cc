#include "recommender/campaigns/campaign_picks.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "recommender/filter/item_filter.h"
#include "recommender/timing/next_purchase.h"

namespace recommender::campaigns {
namespace {

// Horizon of the consumable forecasts; it does not move due dates.
constexpr double kForecastHorizonDays = 30;

// Collects picks under the filter, the per-category cap and the count.
class Collector {
 public:
  Collector(const ModelSnapshot& snapshot, const BoundItemFilter& filter,
            int count, int max_per_category)
      : snapshot_(snapshot),
        filter_(filter),
        count_(count),
        max_per_category_(max_per_category) {}

  bool full() const { return static_cast<int>(picks_.size()) >= count_; }

  void Offer(Recommendation pick) {
    if (full() || !filter_.Accepts(pick.item) ||
        !taken_.insert(pick.item).second) {
      return;
    }
    if (max_per_category_ > 0 &&
        ++per_category_[snapshot_.item(pick.item).category()] >
            max_per_category_) {
      return;
    }
    picks_.push_back(std::move(pick));
  }

  std::vector<Recommendation> Take() { return std::move(picks_); }

 private:
  const ModelSnapshot& snapshot_;
  const BoundItemFilter& filter_;
  const int count_;
  const int max_per_category_;
  std::vector<Recommendation> picks_;
  absl::flat_hash_set<int32_t> taken_;
  absl::flat_hash_map<std::string, int> per_category_;
};

// The filter plus every durable the customer owns.
void ExcludeOwnedDurables(const ModelSnapshot& snapshot,
                          const std::string& customer_id,
                          const LiveContext& live, BoundItemFilter* filter) {
  auto exclude = [&](int32_t item) {
    if (snapshot.item(item).durability() == snapshot::DURABLE) {
      filter->Exclude(item);
    }
  };
  if (std::optional<int32_t> row = snapshot.FindCustomer(customer_id)) {
    for (int32_t item : snapshot.customer(*row).purchased_items()) exclude(item);
  }
  for (int32_t item : live.purchased_items) exclude(item);
}

absl::StatusOr<std::vector<Recommendation>> PopularPicks(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live) {
  BoundItemFilter filter(query.filter, snapshot);
  ExcludeOwnedDurables(snapshot, query.customer_id, live, &filter);
  Collector collector(snapshot, filter, query.count, query.max_per_category);
  for (int32_t row : snapshot.popular_items()) {
    if (collector.full()) break;
    collector.Offer({row,
                     static_cast<float>(snapshot.item(row).recent_purchases()),
                     ReasonCode::kPopular, "popular in the shop"});
  }
  return collector.Take();
}

absl::StatusOr<std::vector<Recommendation>> DueReminderPicks(
    const ModelSnapshot& snapshot, const RecommendQuery& query,
    const LiveContext& live) {
  BoundItemFilter filter(query.filter, snapshot);
  ExcludeOwnedDurables(snapshot, query.customer_id, live, &filter);
  Collector collector(snapshot, filter, query.count, query.max_per_category);
  absl::flat_hash_set<int32_t> bought_since(live.purchased_items.begin(),
                                            live.purchased_items.end());
  if (std::optional<int32_t> row = snapshot.FindCustomer(query.customer_id)) {
    // Soonest due first, so the most overdue lead.
    for (const ConsumableForecast& f : ForecastConsumables(
             snapshot, *row, *query.as_of, kForecastHorizonDays)) {
      if (f.status != RepurchaseStatus::kDueSoon &&
          f.status != RepurchaseStatus::kOverdue) {
        continue;
      }
      if (bought_since.contains(f.item)) continue;  // Re-bought already.
      collector.Offer({f.item, static_cast<float>(f.probability_within_horizon),
                       ReasonCode::kRepurchaseDue, f.explanation});
    }
  }
  if (!collector.full()) {
    absl::StatusOr<std::vector<Recommendation>> personal =
        Recommend(snapshot, query, live);
    if (!personal.ok()) return personal.status();
    for (Recommendation& pick : *personal) collector.Offer(std::move(pick));
  }
  return collector.Take();
}

}  // namespace

RecommendQuery ArmQuery(const CampaignDefinition& campaign,
                        const CampaignArm& arm, const std::string& customer_id,
                        absl::Time as_of) {
  RecommendQuery query;
  query.customer_id = customer_id;
  query.count = PicksOf(campaign, arm);
  query.filter = campaign.filter;
  query.max_per_category = campaign.max_per_category;
  query.as_of = as_of;
  return query;
}

absl::StatusOr<std::vector<Recommendation>> PickItems(
    const ModelSnapshot& snapshot, const CampaignDefinition& campaign,
    const CampaignArm& arm, const std::string& customer_id, absl::Time as_of,
    const LiveContext& live) {
  const RecommendQuery query = ArmQuery(campaign, arm, customer_id, as_of);
  if (absl::Status valid = ValidateRecommendQuery(query); !valid.ok()) {
    return valid;
  }
  switch (arm.strategy) {
    case PickStrategy::kPersonalized:
      return Recommend(snapshot, query, live);
    case PickStrategy::kPopular:
      return PopularPicks(snapshot, query, live);
    case PickStrategy::kDueReminder:
      return DueReminderPicks(snapshot, query, live);
  }
  return absl::InternalError("unknown pick strategy");
}

}  // namespace recommender::campaigns
