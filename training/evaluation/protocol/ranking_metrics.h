// Top-k ranking metrics over a set of test customers, each with the list a
// model ranked for them and the items that were relevant (bought in the
// test period).
//
// Conventions (those of the recommenders-team/recommenders library, whose
// published MovieLens table we compare with; n = relevant items, hits
// counted in the first k of the list):
//   precision@k = hits / k              (a list shorter than k still / k)
//   recall@k    = hits / n
//   ndcg@k      = sum over hit ranks r of 1/log2(r+1), divided by the same
//                 sum over ranks 1..min(k, n) (binary relevance)
//   map@k       = sum over hit ranks r of (hits in 1..r) / r, divided by n
//   hit_rate@k  = 1 if hits > 0
// each averaged over customers; and over all lists together:
//   coverage@k  = distinct items in the first k of any list / catalog size
//   owned_durable_violation_rate@k = listed durables the customer already
//                 owned / listed items
//   repeat_share@k = listed items the customer bought before / listed items
//   recall_repeat@k, recall_new@k = recall over the relevant items the
//                 customer bought before / never bought, averaged over the
//                 customers who have such items.
//
// Not thread-safe; one accumulator per (model, task).
#ifndef TRAINING_EVALUATION_PROTOCOL_RANKING_METRICS_H_
#define TRAINING_EVALUATION_PROTOCOL_RANKING_METRICS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"

namespace recommender {

// One customer's case: what was ranked and what counts.
struct RankedCase {
  // Best first; may be longer than the largest k.
  absl::Span<const int32_t> ranked;
  // Distinct relevant items; must not be empty.
  absl::Span<const int32_t> relevant;
  // Items the customer bought before the test period (for the repeat/new
  // breakdown); may be null.
  const absl::flat_hash_set<int32_t>* bought_before = nullptr;
  // Durables the customer owned before the test period; may be null.
  const absl::flat_hash_set<int32_t>* owned_durables = nullptr;
};

class RankingMetrics {
 public:
  // Metrics at each of `ks` (each >= 1) over a catalog of `num_items`.
  RankingMetrics(std::vector<int> ks, int32_t num_items);

  void Add(const RankedCase& c);

  int64_t customers() const { return customers_; }
  // Owned durables listed in the first k, summed over customers.
  int64_t owned_durable_violations(int k) const;

  // "precision@10" -> value, for every metric and k; the repeat/new and
  // violation metrics only if some case carried the sets they need.
  std::map<std::string, double> Values() const;
  // The value of one metric name such as "ndcg@10"; 0 if unknown.
  double Value(const std::string& name) const;
  // Each customer's ndcg@k, in the order they were added (for paired
  // comparisons of two models on the same customers); empty if k is not
  // one of the ks.
  const std::vector<double>& CustomerNdcg(int k) const;

 private:
  struct AtK {
    double precision = 0, recall = 0, ndcg = 0, map = 0, hits = 0;
    int64_t listed = 0, violations = 0, repeats = 0;
    double recall_repeat = 0, recall_new = 0;
    absl::flat_hash_set<int32_t> covered;
    std::vector<double> customer_ndcg;
  };

  std::vector<int> ks_;
  int32_t num_items_;
  std::vector<AtK> at_;
  int64_t customers_ = 0;
  int64_t customers_with_repeat_ = 0;
  int64_t customers_with_new_ = 0;
  bool has_bought_before_ = false;
  bool has_owned_durables_ = false;
};

}  // namespace recommender

#endif  // TRAINING_EVALUATION_PROTOCOL_RANKING_METRICS_H_
