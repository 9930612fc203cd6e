#include "recommender/live/batch_recommend.h"

#include <algorithm>
#include <utility>

#include "recommender/live/live_context.h"

namespace recommender {

absl::StatusOr<std::vector<std::vector<Recommendation>>> RecommendBlock(
    const ModelSnapshot& snapshot, const LiveState* live, RecommendQuery query,
    absl::Span<const std::string> customers) {
  query.customer_id = "-";  // Each customer's id replaces it below.
  if (absl::Status valid = ValidateRecommendQuery(query); !valid.ok()) {
    return valid;
  }
  const size_t n = customers.size();
  std::vector<RecommendQuery> queries(n, query);
  std::vector<LiveContext> contexts(n);
  // Customers with a taste, and their tastes row-major.
  std::vector<size_t> searched;
  std::vector<float> tastes;
  for (size_t i = 0; i < n; ++i) {
    queries[i].customer_id = customers[i];
    contexts[i] = BuildLiveContext(snapshot, live, queries[i]);
    const std::vector<float> taste =
        RankingTaste(snapshot, queries[i], contexts[i]);
    if (taste.empty()) continue;
    searched.push_back(i);
    tastes.insert(tastes.end(), taste.begin(), taste.end());
  }
  std::vector<std::vector<ScoredItem>> found;
  if (!searched.empty()) {
    const int64_t k = std::min<int64_t>(
        snapshot.num_items(), CandidateSearchWidth(snapshot, query.count));
    absl::StatusOr<std::vector<std::vector<ScoredItem>>> batch =
        snapshot.index().SearchBatch(tastes, static_cast<int>(k));
    if (!batch.ok()) return batch.status();
    found = *std::move(batch);
  }
  std::vector<std::vector<Recommendation>> results(n);
  size_t next = 0;
  for (size_t i = 0; i < n; ++i) {
    absl::StatusOr<std::vector<Recommendation>> picks =
        next < searched.size() && searched[next] == i
            ? RecommendFromCandidates(snapshot, queries[i], contexts[i],
                                      found[next++])
            : Recommend(snapshot, queries[i], contexts[i]);
    if (!picks.ok()) return picks.status();
    results[i] = *std::move(picks);
  }
  return results;
}

}  // namespace recommender
