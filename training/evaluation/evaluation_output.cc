#include "training/evaluation/evaluation_output.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "training/internal/json_output.h"

namespace recommender {
namespace {

using Json = nlohmann::ordered_json;

Json TaskJson(const RankingMetrics& metrics, int k, bool shop) {
  const std::map<std::string, double> values = metrics.Values();
  Json json = Json::object();
  for (const std::string& name : MetricNamesAt(k, shop)) {
    const auto it = values.find(name);
    if (it != values.end()) json[name] = JsonSignificant(it->second);
  }
  json["customers"] = metrics.customers();
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

Json EvaluationToJson(const Evaluation& e) {
  const bool shop = e.kind == DatasetKind::kShop;
  Json json = Json::object();
  json["dataset"] = e.dataset;
  json["split"] = e.split_info;
  json["k"] = e.k;
  Json& models = json["models"] = Json::object();
  for (const ModelEvaluation& model : e.models) {
    Json entry = Json::object();
    if (!shop) {
      entry = TaskJson(model.tasks.front().second, e.k, shop);
    } else {
      int64_t violations = 0;
      for (const auto& [task, metrics] : model.tasks) {
        entry[EvalTaskName(task)] = TaskJson(metrics, e.k, shop);
        if (task == EvalTask::kAll) {
          violations = metrics.owned_durable_violations(e.k);
        }
      }
      entry["owned_durable_violations"] = violations;
    }
    entry["train_seconds"] = JsonSignificant(model.train_seconds);
    if (!model.ndcg_by_epoch.empty()) {
      Json& curves = entry[absl::StrCat("ndcg@", e.k, "_by_epoch")];
      for (const auto& [task, values] : model.ndcg_by_epoch) {
        Json& list = curves[EvalTaskName(task)] = Json::array();
        for (double v : values) list.push_back(JsonSignificant(v));
      }
    }
    models[model.name] = std::move(entry);
  }
  Json& wins = json["baselines_beating_default"] = Json::array();
  for (const BaselineWin& win : BaselineWins(e)) {
    wins.push_back({{"task", EvalTaskName(win.task)},
                    {"metric", win.metric},
                    {"model", win.model},
                    {"value", JsonSignificant(win.value)},
                    {"default", JsonSignificant(win.default_value)}});
  }
  if (!e.parameters.is_null()) json["parameters"] = e.parameters;
  if (!e.skipped.empty()) {
    Json& skipped = json["skipped_models"];
    for (const auto& [name, reason] : e.skipped) skipped[name] = reason;
  }
  if (shop) {
    Json& durability = json["durability"];
    durability["violations_judged_by"] = e.durability_source;
    if (!e.durability_inference.is_null()) {
      durability["inference"] = e.durability_inference;
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
