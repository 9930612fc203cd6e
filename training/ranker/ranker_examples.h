// The learned ranker's training data: for each validation customer and
// task, one query group holding the candidates the served model would score
// for that customer at the validation cutoff (RankerCandidates, the very
// code that serves), labelled 1 for the items the customer bought in the
// validation period (for "new": items never bought before, with the items
// bought before excluded as the request's filter, as the evaluation asks).
//
// Thread-safe: no shared state (uses `threads` threads).
#ifndef TRAINING_RANKER_RANKER_EXAMPLES_H_
#define TRAINING_RANKER_RANKER_EXAMPLES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "recommender/model/model_snapshot.h"
#include "recommender/ranking/candidate_features.h"
#include "training/evaluation/protocol/evaluator.h"

namespace recommender {

struct RankerExamples {
  // rows() rows of kNumRankingFeatures floats, row-major.
  std::vector<float> features;
  std::vector<float> labels;
  // Consecutive rows per group, in order.
  std::vector<uint32_t> group_sizes;
  // Per group: the index of its case in the EvaluationCases it came from.
  std::vector<int32_t> group_case;

  int64_t rows() const { return static_cast<int64_t>(labels.size()); }
  int64_t groups() const { return static_cast<int64_t>(group_sizes.size()); }

  // The groups whose case index passes `keep`, in order.
  template <typename Keep>
  RankerExamples Select(const Keep& keep) const;
};

// Groups for every case of `cases` with a relevant item for the task, per
// task in `tasks`; groups without any relevant candidate are left out (they
// carry no ranking signal). `snapshot` must hold the cases' customers and
// items in the same rows, trained on data before the cases' as_of.
absl::StatusOr<RankerExamples> BuildRankerExamples(
    const ModelSnapshot& snapshot, const CandidateOptions& options,
    const EvaluationCases& cases, const std::vector<EvalTask>& tasks,
    int count, int32_t threads);

template <typename Keep>
RankerExamples RankerExamples::Select(const Keep& keep) const {
  RankerExamples out;
  const size_t width = features.size() / std::max<size_t>(1, labels.size());
  size_t row = 0;
  for (size_t g = 0; g < group_sizes.size(); ++g) {
    const size_t size = group_sizes[g];
    if (keep(group_case[g])) {
      out.features.insert(out.features.end(),
                          features.begin() + row * width,
                          features.begin() + (row + size) * width);
      out.labels.insert(out.labels.end(), labels.begin() + row,
                        labels.begin() + row + size);
      out.group_sizes.push_back(group_sizes[g]);
      out.group_case.push_back(group_case[g]);
    }
    row += size;
  }
  return out;
}

}  // namespace recommender

#endif  // TRAINING_RANKER_RANKER_EXAMPLES_H_
