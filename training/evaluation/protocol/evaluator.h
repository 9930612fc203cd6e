// Runs EvalRankers over the test customers of a DataSplit and scores their
// lists, per task:
//  - "all": every item the customer bought in the test period counts,
//    re-buys included, and nothing is removed from the lists;
//  - "new": only items the customer never bought before count, and the
//    items they bought before are removed from the lists (for MovieLens,
//    where every rating is a purchase, this is the published protocol:
//    items seen in training removed).
//
// Thread-safe: pure functions of their arguments (the rankers are const).
#ifndef TRAINING_EVALUATION_PROTOCOL_EVALUATOR_H_
#define TRAINING_EVALUATION_PROTOCOL_EVALUATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"
#include "training/evaluation/protocol/data_split.h"
#include "training/evaluation/protocol/eval_ranker.h"
#include "training/evaluation/protocol/ranking_metrics.h"

namespace recommender {

enum class EvalTask { kAll, kNew };

// "all", "new".
const char* EvalTaskName(EvalTask task);

// What is known about each test customer before the test period, shared by
// every model.
class EvaluationCases {
 public:
  // `durability` has one entry per item: the class that decides whether an
  // owned item is a durable (the generator's truth when there is one, else
  // the catalog's labels).
  EvaluationCases(const DataSplit& split, const std::vector<Durability>& durability);

  struct Case {
    int32_t customer = 0;
    absl::Time as_of;
    std::vector<int32_t> relevant_all;
    std::vector<int32_t> relevant_new;
    absl::flat_hash_set<int32_t> bought_before;
    absl::flat_hash_set<int32_t> owned_durables;
  };
  const std::vector<Case>& cases() const { return cases_; }
  int32_t num_items() const { return num_items_; }

  // The cases whose index in cases() passes `keep`, in order (for scoring
  // folds of the customers separately).
  EvaluationCases Select(const std::function<bool(size_t index)>& keep) const;

 private:
  EvaluationCases() = default;

  std::vector<Case> cases_;
  int32_t num_items_ = 0;
};

// Scores `ranker` on `task` at each of `ks` (max 100). Customers without a
// relevant item for the task are skipped. Errors from the ranker are
// returned with the customer's row.
absl::StatusOr<RankingMetrics> EvaluateRanker(const EvalRanker& ranker,
                                              const EvaluationCases& cases,
                                              EvalTask task,
                                              const std::vector<int>& ks,
                                              int32_t threads = 1);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_EVALUATOR_H_
