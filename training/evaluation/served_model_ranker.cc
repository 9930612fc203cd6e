#include "training/evaluation/served_model_ranker.h"

#include <vector>

#include "recommender/ranking/recommend.h"
#include "recommender/util/status_macros.h"

namespace recommender {

absl::StatusOr<std::vector<int32_t>> ServedModelRanker::Rank(
    const RankRequest& request) const {
  RecommendQuery query;
  query.customer_id = snapshot_->customer(request.customer).id();
  query.count = request.count;
  query.as_of = request.as_of;
  query.repurchase = repurchase_;
  if (request.excluded != nullptr) {
    for (int32_t item : *request.excluded) {
      query.filter.exclude_item_ids.push_back(snapshot_->item(item).id());
    }
  }
  ASSIGN_OR_RETURN(std::vector<Recommendation> picks,
                   RecommendWithRanking(*snapshot_, ranking_, query));
  std::vector<int32_t> items;
  items.reserve(picks.size());
  for (const Recommendation& pick : picks) items.push_back(pick.item);
  return items;
}

}  // namespace recommender
