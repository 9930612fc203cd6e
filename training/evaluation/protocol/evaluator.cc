#include "training/evaluation/protocol/evaluator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "training/internal/parallel_for.h"

namespace recommender {

const char* EvalTaskName(EvalTask task) {
  return task == EvalTask::kAll ? "all" : "new";
}

EvaluationCases::EvaluationCases(const DataSplit& split,
                                 const std::vector<Durability>& durability)
    : num_items_(static_cast<int32_t>(split.train.items.size())) {
  std::vector<absl::flat_hash_set<int32_t>> bought(split.train.customers.size());
  for (const Event& e : split.train.events) {
    if (e.type == EventType::kPurchase) bought[e.customer].insert(e.item);
  }
  for (const TestCustomer& test : split.test) {
    Case c;
    c.customer = test.customer;
    c.as_of = test.as_of;
    c.relevant_all = test.purchased;
    c.bought_before = std::move(bought[test.customer]);
    for (int32_t item : test.purchased) {
      if (!c.bought_before.contains(item)) c.relevant_new.push_back(item);
    }
    for (int32_t item : c.bought_before) {
      if (durability[item] == Durability::kDurable) c.owned_durables.insert(item);
    }
    cases_.push_back(std::move(c));
  }
}

EvaluationCases EvaluationCases::Select(
    const std::function<bool(size_t index)>& keep) const {
  EvaluationCases selected;
  selected.num_items_ = num_items_;
  for (size_t i = 0; i < cases_.size(); ++i) {
    if (keep(i)) selected.cases_.push_back(cases_[i]);
  }
  return selected;
}

absl::StatusOr<RankingMetrics> EvaluateRanker(const EvalRanker& ranker,
                                              const EvaluationCases& cases,
                                              EvalTask task,
                                              const std::vector<int>& ks,
                                              int32_t threads) {
  const int count = *std::max_element(ks.begin(), ks.end());
  const std::vector<EvaluationCases::Case>& all = cases.cases();
  std::vector<absl::StatusOr<std::vector<int32_t>>> lists(
      all.size(), std::vector<int32_t>());
  ParallelFor(static_cast<int64_t>(all.size()), threads, 16,
              [&](int64_t begin, int64_t end) {
                for (int64_t i = begin; i < end; ++i) {
                  const EvaluationCases::Case& c = all[i];
                  const std::vector<int32_t>& relevant =
                      task == EvalTask::kAll ? c.relevant_all : c.relevant_new;
                  if (relevant.empty()) continue;
                  RankRequest request;
                  request.customer = c.customer;
                  request.as_of = c.as_of;
                  request.count = count;
                  request.excluded =
                      task == EvalTask::kNew ? &c.bought_before : nullptr;
                  request.exclude_purchased = task == EvalTask::kNew;
                  lists[i] = ranker.Rank(request);
                }
              });
  RankingMetrics metrics(ks, cases.num_items());
  for (size_t i = 0; i < all.size(); ++i) {
    const EvaluationCases::Case& c = all[i];
    const std::vector<int32_t>& relevant =
        task == EvalTask::kAll ? c.relevant_all : c.relevant_new;
    if (relevant.empty()) continue;
    if (!lists[i].ok()) {
      return absl::Status(lists[i].status().code(),
                          absl::StrCat("customer row ", c.customer, ": ",
                                       lists[i].status().message()));
    }
    metrics.Add({*lists[i], relevant, &c.bought_before, &c.owned_durables});
  }
  return metrics;
}

}  // namespace recommender
