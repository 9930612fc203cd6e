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
// Then "parameters" (the baselines' input, the default model's training
// parameters and repurchase stage) and "skipped_models": {name: reason} if
// a baseline refused the dataset.
//
// Thread-safe: pure functions.
#ifndef TRAINING_EVALUATION_EVALUATION_OUTPUT_H_
#define TRAINING_EVALUATION_EVALUATION_OUTPUT_H_

#include <string>
#include <vector>

#include "training/evaluation/evaluation_run.h"
#include "training/evaluation/json_value.h"

namespace recommender {

// Metric names at `k` in printing order ("precision@10", ...), the shop's
// extra ones included when `shop`.
std::vector<std::string> MetricNamesAt(int k, bool shop);

JsonValue EvaluationToJson(const Evaluation& evaluation);

// One block per task: a row per model, a column per metric at k.
std::string EvaluationTable(const Evaluation& evaluation);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_EVALUATION_OUTPUT_H_
