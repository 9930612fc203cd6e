#include "training/evaluation/evaluation_run.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "recommender/util/status_macros.h"
#include "recommender/util/time_util.h"
#include "training/durability/durability_quality.h"
#include "training/evaluation/model_suite.h"
#include "training/internal/json_output.h"

namespace recommender {
namespace {

using Json = nlohmann::ordered_json;

Json SplitInfo(const DataSplit& split, const SplitSpec& spec, uint64_t seed,
               int32_t test_days) {
  Json info = Json::object();
  info["spec"] = spec.text;
  if (spec.kind == SplitKind::kRandom) info["seed"] = seed;
  if (spec.kind == SplitKind::kTime && !split.test.empty()) {
    info["cutoff"] = FormatRfc3339Utc(split.test[0].as_of);
    info["test_days"] = test_days;
  }
  info["train_events"] = split.train.events.size();
  info["held_out_events"] = split.held_out_events;
  info["test_customers"] = split.test.size();
  return info;
}

// The days a time split's test window spans: `test_days` when it limits
// the window, else from the cutoff to the last event (whole days, rounded
// up).
int32_t TestWindowDays(const ShopData& data, const DataSplit& split,
                       int32_t test_days) {
  if (test_days > 0) return test_days;
  const int64_t cutoff = absl::ToUnixSeconds(split.test[0].as_of);
  int64_t last = cutoff;
  for (const Event& e : data.events) last = std::max(last, e.unix_seconds);
  return static_cast<int32_t>((last - cutoff + kSecondsPerDay - 1) /
                              kSecondsPerDay);
}

// The served snapshot's durability of the items the catalog left
// unlabeled, scored against the generator's truth (durability_quality.h).
absl::StatusOr<Json> DurabilityInference(const ShopData& data,
                                         const ModelSnapshot& snapshot,
                                         const std::vector<Durability>& truth) {
  std::vector<InferredDurability> served(data.items.size());
  for (size_t i = 0; i < data.items.size(); ++i) {
    const snapshot::Item& item = snapshot.item(static_cast<int32_t>(i));
    served[i].durability = item.durability() == snapshot::DURABLE
                               ? Durability::kDurable
                               : item.durability() == snapshot::CONSUMABLE
                                     ? Durability::kConsumable
                                     : Durability::kUnknown;
    served[i].confidence = item.durability_confidence();
  }
  ASSIGN_OR_RETURN(const DurabilityQuality quality,
                   ScoreInferredDurability(data.items, served, truth));
  Json json = Json::object();
  json["unlabeled_items"] = quality.unlabeled_items;
  json["inferred_items"] = quality.inferred_items;
  json["accuracy"] = JsonSignificant(quality.accuracy);
  for (const auto& [name, klass] :
       {std::pair<const char*, const DurabilityClassQuality*>{"durable", &quality.durable},
        {"consumable", &quality.consumable}}) {
    Json& entry = json[name];
    entry["precision"] = JsonSignificant(klass->precision);
    entry["recall"] = JsonSignificant(klass->recall);
    entry["items"] = klass->actual;
  }
  return json;
}

Json InteractionsJson(const InteractionOptions& options) {
  Json json = Json::object();
  json["view_weight"] = JsonSignificant(options.weights.view);
  json["cart_weight"] = JsonSignificant(options.weights.cart);
  json["purchase_weight"] = JsonSignificant(options.weights.purchase);
  json["recency_half_life_days"] = JsonSignificant(options.recency_half_life_days);
  json["log_strength_epsilon"] = JsonSignificant(options.log_strength_epsilon);
  return json;
}

Json RepurchaseJson(const RepurchaseRankingOptions& options) {
  Json json = Json::object();
  json["enabled"] = options.enabled;
  json["suppress_before_fraction"] = JsonSignificant(options.suppress_before_fraction);
  json["boost_window_days"] = JsonSignificant(options.boost_window_days);
  json["boost_weight"] = JsonSignificant(options.boost_weight);
  json["boost_not_yet_due"] = options.boost_not_yet_due;
  json["due_soon_days"] = JsonSignificant(options.status.due_soon_days);
  return json;
}

// What the self-tuning chose and how: its validation slice, time, every
// trial (stage, settings, objective), the chosen settings and their
// validation metrics.
Json TuningJson(const snapshot::Manifest& manifest) {
  const snapshot::TuningReport& report = manifest.tuning();
  Json json = Json::object();
  json["validation"] = report.validation();
  json["validation_customers"] = report.validation_customers();
  json["objective"] = report.objective();
  json["budget_seconds"] = JsonSignificant(report.budget_seconds());
  json["seconds"] = JsonSignificant(report.elapsed_seconds());
  json["budget_cuts"] = Json::array();
  for (const std::string& cut : report.budget_cuts()) json["budget_cuts"].push_back(cut);
  Json& chosen = json["chosen"] = Json::object();
  for (const auto& [name, value] : std::map<std::string, std::string>(
           report.chosen().begin(), report.chosen().end())) {
    chosen[name] = value;
  }
  Json& metrics = json["validation_metrics"] = Json::object();
  for (const auto& [name, value] : std::map<std::string, double>(
           report.validation_metrics().begin(), report.validation_metrics().end())) {
    metrics[name] = JsonSignificant(value);
  }
  Json& trials = json["trials"] = Json::array();
  for (const snapshot::TuningTrial& trial : report.trials()) {
    Json entry = Json::object();
    entry["stage"] = trial.stage();
    entry["seconds"] = JsonSignificant(trial.seconds());
    entry["objective"] = JsonSignificant(trial.metrics().at("objective"));
    Json& settings = entry["settings"] = Json::object();
    for (const auto& [name, value] : std::map<std::string, std::string>(
             trial.settings().begin(), trial.settings().end())) {
      settings[name] = value;
    }
    trials.push_back(std::move(entry));
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
  evaluation.parameters = Json::object();
  evaluation.parameters["baseline_input"] =
      InteractionsJson(options.baseline_interactions);
  if (options.repurchase.has_value()) {
    evaluation.parameters["default_repurchase_stage"] =
        RepurchaseJson(*options.repurchase);
  }

  SuiteOptions suite;
  suite.trainer = options.trainer;
  suite.repurchase = options.repurchase;
  suite.tuning = options.tuning;
  suite.tuning.k = options.k;
  // The tuning's objective: the tasks it was given that this dataset has
  // (MovieLens has only "new"), else all of the dataset's.
  suite.tuning.tasks.clear();
  for (EvalTask task : options.tuning.tasks) {
    if (std::find(evaluation.tasks.begin(), evaluation.tasks.end(), task) !=
        evaluation.tasks.end()) {
      suite.tuning.tasks.push_back(task);
    }
  }
  if (suite.tuning.tasks.empty()) suite.tuning.tasks = evaluation.tasks;
  if (options.split.kind == SplitKind::kRandom) {
    suite.tuning.validation.kind = ValidationKind::kRandom;
    suite.tuning.validation.held_out_share = 1 - options.split.train_share;
  } else {
    // The slice looks as far ahead as the test window does.
    suite.tuning.validation.kind = ValidationKind::kTime;
    suite.tuning.validation.horizon_days =
        TestWindowDays(dataset.data, split, options.test_days);
  }
  suite.baseline_interactions = options.baseline_interactions;
  suite.record_epochs = options.epoch_curves;
  const std::vector<std::string>& names =
      options.models.empty() ? SuiteModelNames() : options.models;
  for (const std::string& name : names) {
    if (std::find(SuiteModelNames().begin(), SuiteModelNames().end(), name) ==
        SuiteModelNames().end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--models: unknown model \"", name, "\" (known: ",
                       absl::StrJoin(SuiteModelNames(), ", "), ")"));
    }
  }
  for (const std::string& name : names) {
    if ((name == "rebuy" || name == "rebuy_popular") &&
        dataset.kind == DatasetKind::kMovieLens && options.models.empty()) {
      continue;  // Nothing is re-bought when seen items are removed.
    }
    log << "model " << name << ": training\n";
    absl::StatusOr<SuiteModel> trained = TrainSuiteModel(name, split, suite, log);
    if (!trained.ok() && options.models.empty() &&
        absl::IsInvalidArgument(trained.status())) {
      // A baseline that refuses this dataset (EASE above its catalog size)
      // is left out of an all-models run, and the output says why.
      log << "model " << name << ": skipped: " << trained.status().message() << "\n";
      evaluation.skipped.emplace_back(name, std::string(trained.status().message()));
      continue;
    }
    if (!trained.ok()) return trained.status();
    SuiteModel model = *std::move(trained);
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
    if (model.snapshot != nullptr) {
      if (!options.repurchase.has_value()) {
        evaluation.parameters["default_repurchase_stage"] =
            RepurchaseJson(SnapshotRepurchaseOptions(*model.snapshot));
      }
      if (model.snapshot->manifest().has_tuning()) {
        evaluation.parameters["default_tuning"] =
            TuningJson(model.snapshot->manifest());
      }
      Json& trained = evaluation.parameters["default"] = Json::object();
      // The manifest's map is unordered: print it sorted.
      const auto& recorded = model.snapshot->manifest().parameters();
      for (const auto& [name, value] :
           std::map<std::string, std::string>(recorded.begin(), recorded.end())) {
        if (name != "data_dir" && name != "event_log_dir") {
          trained[name] = value;
        }
      }
    }
    if (model.snapshot != nullptr && dataset.true_durability.has_value()) {
      ASSIGN_OR_RETURN(evaluation.durability_inference,
                       DurabilityInference(dataset.data, *model.snapshot,
                                           *dataset.true_durability));
    }
    evaluation.models.push_back(std::move(result));
  }
  return evaluation;
}

}  // namespace recommender
