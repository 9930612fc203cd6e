#include "training/evaluation/evaluation_output.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender {
namespace {

JsonValue TaskJson(const RankingMetrics& metrics, int k, bool shop) {
  const std::map<std::string, double> values = metrics.Values();
  JsonValue json = JsonValue::Object();
  for (const std::string& name : MetricNamesAt(k, shop)) {
    const auto it = values.find(name);
    if (it != values.end()) json.Set(name, JsonValue::Number(it->second));
  }
  json.Set("customers", JsonValue::Number(static_cast<double>(metrics.customers())));
  return json;
}

}  // namespace

std::vector<std::string> MetricNamesAt(int k, bool shop) {
  std::vector<std::string> names;
  std::vector<const char*> bases = {"precision", "recall",   "ndcg",
                                    "map",       "hit_rate", "coverage"};
  if (shop) {
    for (const char* extra : {"owned_durable_violation_rate", "repeat_share",
                              "recall_repeat", "recall_new"}) {
      bases.push_back(extra);
    }
  }
  for (const char* base : bases) names.push_back(absl::StrCat(base, "@", k));
  return names;
}

std::vector<BaselineWin> BaselineWins(const Evaluation& e) {
  std::vector<BaselineWin> wins;
  const ModelEvaluation* ours = nullptr;
  for (const ModelEvaluation& m : e.models) {
    if (m.name == "default") ours = &m;
  }
  if (ours == nullptr) return wins;
  for (size_t t = 0; t < e.tasks.size(); ++t) {
    const std::map<std::string, double> own = ours->tasks[t].second.Values();
    for (const char* base : {"precision", "recall", "ndcg", "map", "hit_rate"}) {
      const std::string metric = absl::StrCat(base, "@", e.k);
      for (const ModelEvaluation& m : e.models) {
        if (&m == ours) continue;
        const double value = m.tasks[t].second.Values().at(metric);
        if (value > own.at(metric)) {
          wins.push_back({e.tasks[t], metric, m.name, value, own.at(metric)});
        }
      }
    }
  }
  return wins;
}

std::string DescribeWin(const BaselineWin& win) {
  return absl::StrFormat("%s beats default on %s %s: %.4f vs %.4f", win.model,
                         EvalTaskName(win.task), win.metric, win.value,
                         win.default_value);
}

JsonValue EvaluationToJson(const Evaluation& e) {
  const bool shop = e.kind == DatasetKind::kShop;
  JsonValue json = JsonValue::Object();
  json.Set("dataset", JsonValue::String(e.dataset));
  json.Set("split", e.split_info);
  json.Set("k", JsonValue::Number(e.k));
  JsonValue& models = json.Set("models", JsonValue::Object());
  for (const ModelEvaluation& model : e.models) {
    JsonValue entry = JsonValue::Object();
    if (!shop) {
      entry = TaskJson(model.tasks.front().second, e.k, shop);
    } else {
      int64_t violations = 0;
      for (const auto& [task, metrics] : model.tasks) {
        entry.Set(EvalTaskName(task), TaskJson(metrics, e.k, shop));
        if (task == EvalTask::kAll) {
          violations = metrics.owned_durable_violations(e.k);
        }
      }
      entry.Set("owned_durable_violations",
                JsonValue::Number(static_cast<double>(violations)));
    }
    entry.Set("train_seconds", JsonValue::Number(model.train_seconds));
    if (!model.ndcg_by_epoch.empty()) {
      JsonValue& curves = entry.Set(absl::StrCat("ndcg@", e.k, "_by_epoch"),
                                    JsonValue::Object());
      for (const auto& [task, values] : model.ndcg_by_epoch) {
        JsonValue& list = curves.Set(EvalTaskName(task), JsonValue::Array());
        for (double v : values) list.Append(JsonValue::Number(v));
      }
    }
    models.Set(model.name, std::move(entry));
  }
  JsonValue& wins = json.Set("baselines_beating_default", JsonValue::Array());
  for (const BaselineWin& win : BaselineWins(e)) {
    JsonValue& entry = wins.Append(JsonValue::Object());
    entry.Set("task", JsonValue::String(EvalTaskName(win.task)));
    entry.Set("metric", JsonValue::String(win.metric));
    entry.Set("model", JsonValue::String(win.model));
    entry.Set("value", JsonValue::Number(win.value));
    entry.Set("default", JsonValue::Number(win.default_value));
  }
  if (e.parameters.kind() != JsonValue::Kind::kNull) {
    json.Set("parameters", e.parameters);
  }
  if (!e.skipped.empty()) {
    JsonValue& skipped = json.Set("skipped_models", JsonValue::Object());
    for (const auto& [name, reason] : e.skipped) {
      skipped.Set(name, JsonValue::String(reason));
    }
  }
  if (shop) {
    JsonValue& durability = json.Set("durability", JsonValue::Object());
    durability.Set("violations_judged_by", JsonValue::String(e.durability_source));
    if (e.durability_inference.kind() != JsonValue::Kind::kNull) {
      durability.Set("inference", e.durability_inference);
    }
  }
  return json;
}

std::string EvaluationTable(const Evaluation& e) {
  const bool shop = e.kind == DatasetKind::kShop;
  std::string out;
  std::vector<std::string> columns = MetricNamesAt(e.k, /*shop=*/false);
  if (shop) {
    columns.push_back(absl::StrCat("repeat_share@", e.k));
    columns.push_back(absl::StrCat("owned_durable_violation_rate@", e.k));
  }
  size_t name_width = 10;
  for (const ModelEvaluation& m : e.models) name_width = std::max(name_width, m.name.size());
  for (size_t t = 0; t < e.tasks.size(); ++t) {
    absl::StrAppendFormat(&out, "%s, task %s (%s):\n", e.dataset,
                          EvalTaskName(e.tasks[t]), e.split.text);
    absl::StrAppendFormat(&out, "  %-*s", name_width, "model");
    for (const std::string& c : columns) {
      absl::StrAppendFormat(&out, " %12s", c.substr(0, c.find('@')).substr(0, 12));
    }
    absl::StrAppendFormat(&out, "   (at k=%d)\n", e.k);
    for (const ModelEvaluation& m : e.models) {
      const std::map<std::string, double> values = m.tasks[t].second.Values();
      absl::StrAppendFormat(&out, "  %-*s", name_width, m.name);
      for (const std::string& c : columns) {
        const auto it = values.find(c);
        absl::StrAppendFormat(&out, " %12.4f", it == values.end() ? 0.0 : it->second);
      }
      out += "\n";
    }
  }
  for (const BaselineWin& win : BaselineWins(e)) {
    absl::StrAppend(&out, "  ", DescribeWin(win), "\n");
  }
  return out;
}

}  // namespace recommender
