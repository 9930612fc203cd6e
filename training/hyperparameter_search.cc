#include "training/hyperparameter_search.h"

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
#include "training/seeded_random.h"

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

int64_t GridSize(const IalsSearchSpace& space) {
  return static_cast<int64_t>(space.factors.size()) *
         static_cast<int64_t>(space.epochs.size()) *
         static_cast<int64_t>(space.regularization.size()) *
         static_cast<int64_t>(space.regularization_exponent.size()) *
         static_cast<int64_t>(space.alpha.size());
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

IalsOptions WithTrial(IalsOptions base, const IalsTrial& trial) {
  base.factors = trial.factors;
  base.epochs = trial.epochs;
  base.regularization = trial.regularization;
  base.regularization_exponent = trial.regularization_exponent;
  base.alpha = trial.alpha;
  return base;
}

std::string TrialTableTsv(const std::vector<TrialResult>& results) {
  std::set<std::string> names;
  for (const TrialResult& r : results) {
    for (const auto& [name, value] : r.metrics) names.insert(name);
  }
  std::string table = absl::StrCat(
      "trial\tfactors\tepochs\tregularization\tregularization_exponent\talpha"
      "\tseconds",
      names.empty() ? "" : "\t", absl::StrJoin(names, "\t"), "\n");
  for (size_t i = 0; i < results.size(); ++i) {
    const TrialResult& r = results[i];
    absl::StrAppendFormat(&table, "%d\t%d\t%d\t%g\t%g\t%g\t%.2f", i + 1,
                          r.trial.factors, r.trial.epochs,
                          r.trial.regularization,
                          r.trial.regularization_exponent, r.trial.alpha,
                          r.seconds);
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
