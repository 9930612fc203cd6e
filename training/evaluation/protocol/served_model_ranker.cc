#include "training/evaluation/protocol/served_model_ranker.h"

#include <vector>

#include "absl/container/flat_hash_set.h"

#include "recommender/ranking/recommend.h"
#include "recommender/util/status_macros.h"

namespace recommender {

RecommendQuery ServedQuery(
    const ModelSnapshot& snapshot, const RankRequest& request,
    const std::optional<RepurchaseRankingOptions>& repurchase) {
  RecommendQuery query;
  query.customer_id = snapshot.customer(request.customer).id();
  query.count = request.count;
  query.as_of = request.as_of;
  query.repurchase = repurchase;
  query.exclude_purchased = request.exclude_purchased;
  if (request.excluded != nullptr) {
    // With exclude_purchased the server leaves out the customer's history
    // itself (however long); only what the snapshot does not know as
    // bought goes into the request's list.
    absl::flat_hash_set<int32_t> bought;
    if (request.exclude_purchased) {
      const snapshot::Customer& customer = snapshot.customer(request.customer);
      bought.insert(customer.purchased_items().begin(),
                    customer.purchased_items().end());
    }
    for (int32_t item : *request.excluded) {
      if (bought.contains(item)) continue;
      query.filter.exclude_item_ids.push_back(snapshot.item(item).id());
    }
  }
  return query;
}

absl::StatusOr<std::vector<int32_t>> ServedModelRanker::Rank(
    const RankRequest& request) const {
  const RecommendQuery query = ServedQuery(*snapshot_, request, repurchase_);
  ASSIGN_OR_RETURN(std::vector<Recommendation> picks,
                   RecommendWithRanking(*snapshot_, ranking_, query));
  std::vector<int32_t> items;
  items.reserve(picks.size());
  for (const Recommendation& pick : picks) items.push_back(pick.item);
  return items;
}

}  // namespace recommender
