#include "training/ranker/ranker_examples.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "recommender/ltr/ranking_features.h"
#include "recommender/ranking/recommend.h"
#include "recommender/util/status_macros.h"
#include "training/evaluation/protocol/served_model_ranker.h"
#include "training/internal/parallel_for.h"

namespace recommender {
namespace {

struct Group {
  std::vector<float> features;
  std::vector<float> labels;
};

absl::StatusOr<Group> BuildGroup(const ModelSnapshot& snapshot,
                                 const CandidateOptions& options,
                                 const EvaluationCases::Case& c, EvalTask task,
                                 int count) {
  const std::vector<int32_t>& relevant =
      task == EvalTask::kAll ? c.relevant_all : c.relevant_new;
  RankRequest request;
  request.customer = c.customer;
  request.as_of = c.as_of;
  request.count = count;
  request.excluded = task == EvalTask::kNew ? &c.bought_before : nullptr;
  // As the evaluation asks it (evaluator.cc): the server leaves out the
  // customer's history itself, so heavy buyers trip no request limit.
  request.exclude_purchased = task == EvalTask::kNew;
  const RecommendQuery query = ServedQuery(snapshot, request, std::nullopt);
  ASSIGN_OR_RETURN(CandidateSet candidates,
                   RankerCandidates(snapshot, options, query));
  const absl::flat_hash_set<int32_t> wanted(relevant.begin(), relevant.end());
  Group group;
  bool any = false;
  for (int32_t item : candidates.items) {
    const bool hit = wanted.contains(item);
    group.labels.push_back(hit ? 1.0f : 0.0f);
    any |= hit;
  }
  if (!any) return Group();
  group.features = std::move(candidates.features);
  return group;
}

}  // namespace

absl::StatusOr<RankerExamples> BuildRankerExamples(
    const ModelSnapshot& snapshot, const CandidateOptions& options,
    const EvaluationCases& cases, const std::vector<EvalTask>& tasks,
    int count, int32_t threads) {
  const std::vector<EvaluationCases::Case>& all = cases.cases();
  const int64_t jobs = static_cast<int64_t>(all.size() * tasks.size());
  std::vector<absl::StatusOr<Group>> groups(jobs, Group());
  ParallelFor(jobs, threads, 8, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      const EvaluationCases::Case& c = all[j / tasks.size()];
      const EvalTask task = tasks[j % tasks.size()];
      const std::vector<int32_t>& relevant =
          task == EvalTask::kAll ? c.relevant_all : c.relevant_new;
      if (relevant.empty()) continue;
      groups[j] = BuildGroup(snapshot, options, c, task, count);
    }
  });
  RankerExamples examples;
  for (int64_t j = 0; j < jobs; ++j) {
    if (!groups[j].ok()) {
      return absl::Status(groups[j].status().code(),
                          absl::StrCat("ranker examples, customer row ",
                                       all[j / tasks.size()].customer, ": ",
                                       groups[j].status().message()));
    }
    Group& group = *groups[j];
    if (group.labels.empty()) continue;
    examples.features.insert(examples.features.end(), group.features.begin(),
                             group.features.end());
    examples.labels.insert(examples.labels.end(), group.labels.begin(),
                           group.labels.end());
    examples.group_sizes.push_back(static_cast<uint32_t>(group.labels.size()));
    examples.group_case.push_back(static_cast<int32_t>(j / tasks.size()));
  }
  return examples;
}

}  // namespace recommender
