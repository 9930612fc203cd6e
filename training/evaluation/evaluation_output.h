// The evaluation tool's two printed forms of an Evaluation: one JSON
// document for machines (stdout) and an aligned table for people (stderr).
//
// JSON shape:
//   {"dataset": "movielens:DIR", "split": {...}, "k": 10,
//    "models": {"popularity": {"precision@10": ..., "recall@10": ...,
//                              "ndcg@10": ..., "map@10": ...,
//                              "hit_rate@10": ..., "coverage@10": ...,
//                              "customers": N, "train_seconds": s}, ...}}
// For shop data each model has one object per task and its violations:
//    "default": {"all": {...}, "new": {...}, "owned_durable_violations": N,
//                "train_seconds": s}
// plus "durability": {"violations_judged_by": ..., "inference": {...}}.
// Then "baselines_beating_default": [{"task", "metric", "model", "value",
// "default"}, ...] (BaselineWins; empty when the default model wins
// everywhere), "parameters" (the baselines' input, the default model's training
// parameters and repurchase stage) and "skipped_models": {name: reason} if
// a baseline refused the dataset.
//
// Thread-safe: pure functions.
#ifndef TRAINING_EVALUATION_EVALUATION_OUTPUT_H_
#define TRAINING_EVALUATION_EVALUATION_OUTPUT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "training/evaluation/evaluation_run.h"

namespace recommender {

// Metric names at `k` in printing order ("precision@10", ...), the shop's
// extra ones included when `shop`.
std::vector<std::string> MetricNamesAt(int k, bool shop);

// A baseline scoring higher than the default model on a headline metric
// (precision, recall, nDCG, MAP, hit rate at k) of one task.
struct BaselineWin {
  EvalTask task = EvalTask::kAll;
  std::string metric;
  std::string model;
  double value = 0;
  double default_value = 0;
};

// Every such win, by task, metric, then model order; empty if there is no
// "default" model in the evaluation or it wins everywhere.
std::vector<BaselineWin> BaselineWins(const Evaluation& evaluation);

// "rebuy beats default on all ndcg@10: 0.7140 vs 0.6886".
std::string DescribeWin(const BaselineWin& win);

// The JSON document above (print it with PrintJson,
// training/internal/json_output.h). Metrics have 6 significant digits.
nlohmann::ordered_json EvaluationToJson(const Evaluation& evaluation);

// One block per task: a row per model, a column per metric at k; then a
// line per BaselineWin.
std::string EvaluationTable(const Evaluation& evaluation);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_EVALUATION_OUTPUT_H_
