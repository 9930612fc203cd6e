#include "training/evaluation/evaluation_run.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/evaluation/model_suite.h"

namespace recommender {
namespace {

JsonValue SplitInfo(const DataSplit& split, const SplitSpec& spec, uint64_t seed,
                    int32_t test_days) {
  JsonValue info = JsonValue::Object();
  info.Set("spec", JsonValue::String(spec.text));
  if (spec.kind == SplitKind::kRandom) info.Set("seed", JsonValue::Number(seed));
  if (spec.kind == SplitKind::kTime && !split.test.empty()) {
    info.Set("cutoff", JsonValue::String(FormatRfc3339Utc(split.test[0].as_of)));
    info.Set("test_days", JsonValue::Number(test_days));
  }
  info.Set("train_events",
           JsonValue::Number(static_cast<double>(split.train.events.size())));
  info.Set("held_out_events",
           JsonValue::Number(static_cast<double>(split.held_out_events)));
  info.Set("test_customers",
           JsonValue::Number(static_cast<double>(split.test.size())));
  return info;
}

// Per class, precision and recall of the snapshot's durability on the items
// the catalog left unlabeled, against the generator's truth.
JsonValue DurabilityInference(const ShopData& data, const ModelSnapshot& snapshot,
                              const std::vector<Durability>& truth) {
  struct Counts {
    int64_t predicted = 0, actual = 0, correct = 0;
  };
  Counts durable, consumable;
  int64_t unlabeled = 0, inferred = 0;
  for (size_t i = 0; i < data.items.size(); ++i) {
    if (data.items[i].durability != Durability::kUnknown) continue;
    ++unlabeled;
    const snapshot::Durability served = snapshot.item(static_cast<int32_t>(i)).durability();
    const Durability predicted = served == snapshot::DURABLE       ? Durability::kDurable
                                 : served == snapshot::CONSUMABLE ? Durability::kConsumable
                                                                  : Durability::kUnknown;
    inferred += predicted != Durability::kUnknown;
    for (auto [klass, counts] : {std::pair{Durability::kDurable, &durable},
                                 std::pair{Durability::kConsumable, &consumable}}) {
      counts->predicted += predicted == klass;
      counts->actual += truth[i] == klass;
      counts->correct += predicted == klass && truth[i] == klass;
    }
  }
  JsonValue json = JsonValue::Object();
  json.Set("unlabeled_items", JsonValue::Number(static_cast<double>(unlabeled)));
  json.Set("inferred_items", JsonValue::Number(static_cast<double>(inferred)));
  for (auto [name, counts] : {std::pair{"durable", &durable},
                              std::pair{"consumable", &consumable}}) {
    JsonValue& klass = json.Set(name, JsonValue::Object());
    klass.Set("precision", JsonValue::Number(
                               counts->predicted > 0
                                   ? static_cast<double>(counts->correct) / counts->predicted
                                   : 0));
    klass.Set("recall", JsonValue::Number(
                            counts->actual > 0
                                ? static_cast<double>(counts->correct) / counts->actual
                                : 0));
    klass.Set("items", JsonValue::Number(static_cast<double>(counts->actual)));
  }
  return json;
}

}  // namespace

std::vector<EvalTask> TasksFor(DatasetKind kind) {
  if (kind == DatasetKind::kMovieLens) return {EvalTask::kNew};
  return {EvalTask::kAll, EvalTask::kNew};
}

absl::StatusOr<Evaluation> RunEvaluation(const EvalDataset& dataset,
                                         const EvaluationOptions& options,
                                         std::ostream& log) {
  if (options.k < 1 || options.k > 100) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--k: must be between 1 and 100, got %d", options.k));
  }
  Evaluation evaluation;
  evaluation.dataset = dataset.spec;
  evaluation.kind = dataset.kind;
  evaluation.split = options.split;
  evaluation.k = options.k;
  evaluation.ks = options.report_ks;
  evaluation.ks.push_back(options.k);
  for (int k : evaluation.ks) {
    if (k < 1 || k > 100) {
      return absl::InvalidArgumentError(
          absl::StrFormat("report k: must be between 1 and 100, got %d", k));
    }
  }
  std::sort(evaluation.ks.begin(), evaluation.ks.end());
  evaluation.ks.erase(std::unique(evaluation.ks.begin(), evaluation.ks.end()),
                      evaluation.ks.end());
  evaluation.tasks = TasksFor(dataset.kind);

  const DataSplit split =
      ApplySplit(dataset.data, options.split, options.seed,
                 options.trainer.timing.utc_offset_seconds, options.test_days);
  if (split.test.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--split=", options.split.text,
        ": no customer has both training events and held-out purchases"));
  }
  evaluation.split_info =
      SplitInfo(split, options.split, options.seed, options.test_days);
  log << absl::StrFormat("split %s: %d training events, %d held out, %d test customers\n",
                         options.split.text, split.train.events.size(),
                         split.held_out_events, split.test.size());

  std::vector<Durability> durability;
  if (dataset.true_durability.has_value()) {
    durability = *dataset.true_durability;
    evaluation.durability_source = "ground_truth";
  } else {
    for (const CatalogItem& item : dataset.data.items) {
      durability.push_back(item.durability);
    }
    evaluation.durability_source = "catalog";
  }
  const EvaluationCases cases(split, durability);

  SuiteOptions suite;
  suite.trainer = options.trainer;
  suite.record_epochs = options.epoch_curves;
  const std::vector<std::string>& names =
      options.models.empty() ? SuiteModelNames() : options.models;
  for (const std::string& name : names) {
    if (name == "rebuy" && dataset.kind == DatasetKind::kMovieLens &&
        options.models.empty()) {
      continue;  // Nothing is re-bought when seen items are removed.
    }
    log << "model " << name << ": training\n";
    ASSIGN_OR_RETURN(SuiteModel model, TrainSuiteModel(name, split, suite, log));
    ModelEvaluation result;
    result.name = name;
    result.train_seconds = model.train_seconds;
    for (EvalTask task : evaluation.tasks) {
      ASSIGN_OR_RETURN(RankingMetrics metrics,
                       EvaluateRanker(*model.ranker, cases, task, evaluation.ks,
                                      options.threads));
      result.tasks.emplace_back(task, std::move(metrics));
      for (const auto& epoch : model.epochs) {
        ASSIGN_OR_RETURN(RankingMetrics at_epoch,
                         EvaluateRanker(*epoch, cases, task, {options.k},
                                        options.threads));
        result.ndcg_by_epoch[task].push_back(
            at_epoch.Value(absl::StrFormat("ndcg@%d", options.k)));
      }
    }
    log << absl::StrFormat("model %s: trained in %.1f s, scored\n", name,
                           model.train_seconds);
    if (model.snapshot != nullptr && dataset.true_durability.has_value()) {
      evaluation.durability_inference = DurabilityInference(
          dataset.data, *model.snapshot, *dataset.true_durability);
    }
    evaluation.models.push_back(std::move(result));
  }
  return evaluation;
}

}  // namespace recommender
