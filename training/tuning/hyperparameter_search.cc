#include "training/tuning/hyperparameter_search.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "training/internal/seeded_random.h"

namespace recommender {
namespace {

template <typename T, typename Parse>
absl::StatusOr<std::vector<T>> ParseList(absl::string_view name,
                                         absl::string_view text,
                                         const Parse& parse) {
  std::vector<T> values;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    part = absl::StripAsciiWhitespace(part);
    T value{};
    if (!parse(part, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, ": not a number: \"", part, "\""));
    }
    values.push_back(value);
  }
  if (values.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": give at least one value"));
  }
  return values;
}

// The combination with index `index` in grid order (last dimension
// fastest).
IalsTrial TrialAt(const IalsSearchSpace& space, int64_t index) {
  IalsTrial trial;
  auto take = [&index](const auto& values) {
    const int64_t size = static_cast<int64_t>(values.size());
    const auto value = values[index % size];
    index /= size;
    return value;
  };
  trial.recency_half_life_days = take(space.recency_half_life_days);
  trial.purchase_weight = take(space.purchase_weight);
  trial.cart_weight = take(space.cart_weight);
  trial.view_weight = take(space.view_weight);
  trial.alpha = take(space.alpha);
  trial.regularization_exponent = take(space.regularization_exponent);
  trial.regularization = take(space.regularization);
  trial.epochs = take(space.epochs);
  trial.factors = take(space.factors);
  return trial;
}

}  // namespace

absl::StatusOr<std::vector<float>> ParseFloatList(absl::string_view name,
                                                  absl::string_view text) {
  return ParseList<float>(name, text, [](absl::string_view s, float* v) {
    return absl::SimpleAtof(s, v);
  });
}

absl::StatusOr<std::vector<int32_t>> ParseIntList(absl::string_view name,
                                                  absl::string_view text) {
  return ParseList<int32_t>(name, text, [](absl::string_view s, int32_t* v) {
    return absl::SimpleAtoi(s, v);
  });
}

IalsSearchSpace SearchSpaceAround(IalsSearchSpace space, const IalsOptions& ials,
                                  const InteractionOptions& interactions) {
  auto fill = [](auto* values, auto base) {
    if (values->empty()) values->push_back(base);
  };
  fill(&space.factors, ials.factors);
  fill(&space.epochs, ials.epochs);
  fill(&space.regularization, ials.regularization);
  fill(&space.regularization_exponent, ials.regularization_exponent);
  fill(&space.alpha, ials.alpha);
  fill(&space.view_weight, interactions.weights.view);
  fill(&space.cart_weight, interactions.weights.cart);
  fill(&space.purchase_weight, interactions.weights.purchase);
  fill(&space.recency_half_life_days,
       static_cast<float>(interactions.recency_half_life_days));
  return space;
}

int64_t GridSize(const IalsSearchSpace& space) {
  int64_t size = 1;
  for (size_t n : {space.factors.size(), space.epochs.size(),
                   space.regularization.size(),
                   space.regularization_exponent.size(), space.alpha.size(),
                   space.view_weight.size(), space.cart_weight.size(),
                   space.purchase_weight.size(),
                   space.recency_half_life_days.size()}) {
    size *= static_cast<int64_t>(n);
  }
  return size;
}

std::vector<IalsTrial> GridTrials(const IalsSearchSpace& space) {
  std::vector<IalsTrial> trials;
  const int64_t size = GridSize(space);
  trials.reserve(size);
  for (int64_t i = 0; i < size; ++i) trials.push_back(TrialAt(space, i));
  return trials;
}

std::vector<IalsTrial> RandomTrials(const IalsSearchSpace& space,
                                    int64_t count, uint64_t seed) {
  const int64_t size = GridSize(space);
  count = std::min(count, size);
  // Floyd's algorithm: `count` distinct indices in [0, size).
  SeededRandom random(seed);
  std::set<int64_t> chosen;
  std::vector<int64_t> order;
  for (int64_t j = size - count; j < size; ++j) {
    const int64_t t = random.UniformInt(j + 1);
    const int64_t pick = chosen.count(t) ? j : t;
    chosen.insert(pick);
    order.push_back(pick);
  }
  std::vector<IalsTrial> trials;
  trials.reserve(order.size());
  for (int64_t index : order) trials.push_back(TrialAt(space, index));
  return trials;
}

void ApplyTrial(const IalsTrial& trial, IalsOptions* ials,
                InteractionOptions* interactions) {
  ials->factors = trial.factors;
  ials->epochs = trial.epochs;
  ials->regularization = trial.regularization;
  ials->regularization_exponent = trial.regularization_exponent;
  ials->alpha = trial.alpha;
  interactions->weights.view = trial.view_weight;
  interactions->weights.cart = trial.cart_weight;
  interactions->weights.purchase = trial.purchase_weight;
  interactions->recency_half_life_days = trial.recency_half_life_days;
}

std::string TrialTableTsv(const std::vector<TrialResult>& results) {
  std::set<std::string> names;
  for (const TrialResult& r : results) {
    for (const auto& [name, value] : r.metrics) names.insert(name);
  }
  std::string table = absl::StrCat(
      "trial\tfactors\tepochs\tregularization\tregularization_exponent\talpha"
      "\tview_weight\tcart_weight\tpurchase_weight\trecency_half_life_days"
      "\tseconds",
      names.empty() ? "" : "\t", absl::StrJoin(names, "\t"), "\n");
  for (size_t i = 0; i < results.size(); ++i) {
    const TrialResult& r = results[i];
    const IalsTrial& t = r.trial;
    absl::StrAppendFormat(&table, "%d\t%d\t%d\t%g\t%g\t%g\t%g\t%g\t%g\t%g\t%.2f",
                          i + 1, t.factors, t.epochs, t.regularization,
                          t.regularization_exponent, t.alpha, t.view_weight,
                          t.cart_weight, t.purchase_weight,
                          t.recency_half_life_days, r.seconds);
    for (const std::string& name : names) {
      auto it = r.metrics.find(name);
      table += it == r.metrics.end() ? "\t"
                                     : absl::StrFormat("\t%.4f", it->second);
    }
    table += "\n";
  }
  return table;
}

}  // namespace recommender
