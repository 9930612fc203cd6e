// The project's default model as the server serves it, as an EvalRanker:
// a snapshot built by the trainer's own pipeline (TrainSnapshotContents:
// iALS with the trainer's event weights, inferred durability, the timing
// models) and ranked by recommender/ranking's Recommend — owned durables
// excluded, due consumables moved up, just-bought ones suppressed — with the
// evaluation's as-of time as "now". The "new" task's exclusion (everything
// bought before) is the request's exclude_purchased, as a storefront asks
// for it; other excluded items go in as the request's filter.
//
// Thread-safe: Rank is const over an immutable snapshot.
#ifndef TRAINING_EVALUATION_PROTOCOL_SERVED_MODEL_RANKER_H_
#define TRAINING_EVALUATION_PROTOCOL_SERVED_MODEL_RANKER_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/recommend.h"
#include "recommender/ranking/repurchase_adjuster.h"
#include "training/evaluation/protocol/eval_ranker.h"

namespace recommender {

// The Recommend query the served model answers for `request` (the
// customer's id, the count, as_of, the excluded items as the filter) with
// the repurchase stage `repurchase` (unset: the snapshot's).
RecommendQuery ServedQuery(const ModelSnapshot& snapshot,
                           const RankRequest& request,
                           const std::optional<RepurchaseRankingOptions>& repurchase);

class ServedModelRanker : public EvalRanker {
 public:
  // `snapshot` must hold the same items and customers, in the same rows,
  // as the split the requests refer to.
  // `repurchase` unset: the snapshot's own repurchase stage.
  explicit ServedModelRanker(
      std::shared_ptr<const ModelSnapshot> snapshot,
      std::optional<RepurchaseRankingOptions> repurchase = std::nullopt)
      : snapshot_(std::move(snapshot)),
        ranking_(SnapshotRanking(*snapshot_)),
        repurchase_(repurchase) {}

  // Ranks with `ranking` instead of the snapshot's own learned ranker (for
  // comparing rankers on one snapshot); `ranking.model` must outlive this.
  ServedModelRanker(std::shared_ptr<const ModelSnapshot> snapshot,
                    LearnedRanking ranking,
                    std::optional<RepurchaseRankingOptions> repurchase)
      : snapshot_(std::move(snapshot)),
        ranking_(ranking),
        repurchase_(repurchase) {}

  absl::StatusOr<std::vector<int32_t>> Rank(
      const RankRequest& request) const override;

  const ModelSnapshot& snapshot() const { return *snapshot_; }

 private:
  std::shared_ptr<const ModelSnapshot> snapshot_;
  LearnedRanking ranking_;
  std::optional<RepurchaseRankingOptions> repurchase_;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_SERVED_MODEL_RANKER_H_
