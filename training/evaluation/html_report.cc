#include "training/evaluation/html_report.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "recommender/util/file_util.h"
#include "recommender/util/status_macros.h"
#include "training/evaluation/evaluation_output.h"
#include "training/evaluation/svg_chart.h"
#include "training/internal/json_output.h"

namespace recommender {
namespace {

constexpr char kStyle[] =
    "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
    "td.best{font-weight:bold;background:#e8f4e8}"
    "pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:11px}";

// The headline metrics of one task, the best value per column in bold.
std::string TaskTable(const Evaluation& e, size_t t) {
  const std::vector<std::string> columns =
      MetricNamesAt(e.k, e.kind == DatasetKind::kShop);
  std::vector<std::map<std::string, double>> values;
  for (const ModelEvaluation& m : e.models) values.push_back(m.tasks[t].second.Values());
  std::string html = "<table><tr><th>model</th>";
  for (const std::string& c : columns) absl::StrAppend(&html, "<th>", c, "</th>");
  html += "</tr>\n";
  for (size_t m = 0; m < e.models.size(); ++m) {
    absl::StrAppend(&html, "<tr><td>", XmlEscape(e.models[m].name), "</td>");
    for (const std::string& c : columns) {
      const auto it = values[m].find(c);
      if (it == values[m].end()) {
        html += "<td></td>";
        continue;
      }
      // Lower is better only for the violation rate; repeat_share is neither.
      const bool lower = c.rfind("owned_durable", 0) == 0;
      bool best = c.rfind("repeat_share", 0) != 0;
      for (const auto& other : values) {
        const auto o = other.find(c);
        if (o != other.end() && (lower ? o->second < it->second : o->second > it->second)) {
          best = false;
        }
      }
      absl::StrAppendFormat(&html, "<td%s>%.4f</td>", best ? " class=\"best\"" : "",
                            it->second);
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

std::string MetricVsK(const Evaluation& e, size_t t, const std::string& metric) {
  LineChart chart;
  chart.title = absl::StrCat(metric, "@k, task ", EvalTaskName(e.tasks[t]));
  chart.x_label = "k (list length)";
  chart.y_label = metric;
  chart.log_x = true;
  for (const ModelEvaluation& m : e.models) {
    ChartSeries series;
    series.name = m.name;
    const std::map<std::string, double> values = m.tasks[t].second.Values();
    for (int k : e.ks) {
      series.x.push_back(k);
      series.y.push_back(values.at(absl::StrCat(metric, "@", k)));
    }
    chart.series.push_back(std::move(series));
  }
  return RenderSvg(chart);
}

std::string MetricVsEpoch(const Evaluation& e, EvalTask task) {
  LineChart chart;
  chart.title = absl::StrFormat("ndcg@%d by training epoch, task %s", e.k,
                                EvalTaskName(task));
  chart.x_label = "epoch";
  chart.y_label = absl::StrCat("ndcg@", e.k);
  for (const ModelEvaluation& m : e.models) {
    const auto it = m.ndcg_by_epoch.find(task);
    if (it == m.ndcg_by_epoch.end()) continue;
    ChartSeries series;
    series.name = m.name;
    for (size_t i = 0; i < it->second.size(); ++i) {
      series.x.push_back(static_cast<double>(i + 1));
      series.y.push_back(it->second[i]);
    }
    chart.series.push_back(std::move(series));
  }
  return chart.series.empty() ? "" : RenderSvg(chart);
}

}  // namespace

std::string RenderHtmlReport(const Evaluation& e) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Evaluation: ",
      XmlEscape(e.dataset), "</title><style>", kStyle, "</style></head><body>\n",
      "<h1>Evaluation</h1>\n<p>Dataset <code>", XmlEscape(e.dataset),
      "</code>, split <code>", XmlEscape(e.split.text), "</code>, k = ", e.k,
      ". Every model is trained on the same training part and ranks for the "
      "same test customers. Best value per column in bold.</p>\n");
  const std::vector<BaselineWin> wins = BaselineWins(e);
  bool has_default = false;
  for (const ModelEvaluation& m : e.models) has_default |= m.name == "default";
  if (has_default) {
    html += "<h2>Where a baseline beats the default model</h2>\n";
    if (wins.empty()) {
      absl::StrAppend(&html, "<p>Nowhere: the default model scores highest on "
                             "precision, recall, nDCG, MAP and hit rate at k = ",
                      e.k, " in every task.</p>\n");
    } else {
      html += "<ul>\n";
      for (const BaselineWin& win : wins) {
        absl::StrAppend(&html, "<li>", XmlEscape(DescribeWin(win)), "</li>\n");
      }
      html += "</ul>\n";
    }
  }
  for (size_t t = 0; t < e.tasks.size(); ++t) {
    const EvalTask task = e.tasks[t];
    absl::StrAppend(&html, "<h2>Task: ", EvalTaskName(task), "</h2>\n<p>",
                    task == EvalTask::kAll
                        ? "Any item bought in the test period counts, re-buys "
                          "included; nothing is removed from the lists."
                        : "Only items the customer never bought before count; "
                          "the items they bought before are removed from the "
                          "lists.",
                    "</p>\n", TaskTable(e, t));
    for (const char* metric : {"ndcg", "recall", "precision"}) {
      html += MetricVsK(e, t, metric);
    }
    html += MetricVsEpoch(e, task);
  }
  absl::StrAppend(&html, "<h2>JSON</h2>\n<pre>",
                  XmlEscape(PrintJson(EvaluationToJson(e))),
                  "</pre>\n</body></html>\n");
  return html;
}

absl::StatusOr<std::string> WriteHtmlReport(const Evaluation& evaluation,
                                            const std::string& dir) {
  RETURN_IF_ERROR(CreateDirectories(dir));
  const std::string path = JoinPath(dir, "index.html");
  RETURN_IF_ERROR(WriteFileDurably(path, RenderHtmlReport(evaluation)));
  return path;
}

}  // namespace recommender
