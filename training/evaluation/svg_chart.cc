#include "training/evaluation/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender {
namespace {

constexpr double kWidth = 640, kHeight = 360;
constexpr double kLeft = 60, kRight = 150, kTop = 30, kBottom = 45;
constexpr const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                   "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderSvg(const LineChart& chart) {
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_max = 0;
  auto tx = [&](double x) { return chart.log_x ? std::log(std::max(x, 1e-9)) : x; };
  for (const ChartSeries& s : chart.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      x_min = std::min(x_min, tx(s.x[i]));
      x_max = std::max(x_max, tx(s.x[i]));
      if (std::isfinite(s.y[i])) y_max = std::max(y_max, s.y[i]);
    }
  }
  if (!std::isfinite(x_min)) x_min = 0, x_max = 1;
  if (x_max <= x_min) x_max = x_min + 1;
  y_max = y_max > 0 ? y_max * 1.1 : 1;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (tx(x) - x_min) / (x_max - x_min) * plot_w; };
  auto py = [&](double y) { return kTop + plot_h - y / y_max * plot_h; };

  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
      "width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
      "font-size=\"11\">\n<text x=\"%.0f\" y=\"18\" font-size=\"13\" "
      "font-weight=\"bold\">%s</text>\n",
      kWidth, kHeight, kWidth, kHeight, kLeft, XmlEscape(chart.title));
  absl::StrAppendFormat(
      &svg,
      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
      "stroke=\"#888\"/>\n",
      kLeft, kTop, plot_w, plot_h);
  for (int t = 0; t <= 4; ++t) {
    const double y = y_max * t / 4;
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n",
        kLeft, kLeft + plot_w, py(y), py(y), kLeft - 4, py(y) + 4, y);
  }
  // X ticks at the first series' points (k values or epochs).
  if (!chart.series.empty()) {
    const ChartSeries& first = chart.series.front();
    const size_t step = std::max<size_t>(1, first.x.size() / 12);
    for (size_t i = 0; i < first.x.size(); i += step) {
      absl::StrAppendFormat(&svg,
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                            px(first.x[i]), kTop + plot_h + 14, first.x[i]);
    }
  }
  absl::StrAppendFormat(
      &svg, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
      kLeft + plot_w / 2, kHeight - 8, XmlEscape(chart.x_label));
  absl::StrAppendFormat(
      &svg,
      "<text transform=\"translate(14,%.1f) rotate(-90)\" "
      "text-anchor=\"middle\">%s</text>\n",
      kTop + plot_h / 2, XmlEscape(chart.y_label));
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const ChartSeries& series = chart.series[s];
    const char* color = kColors[s % (sizeof(kColors) / sizeof(kColors[0]))];
    std::string points;
    for (size_t i = 0; i < series.x.size(); ++i) {
      absl::StrAppendFormat(&points, "%s%.1f,%.1f", i == 0 ? "" : " ",
                            px(series.x[i]), py(series.y[i]));
    }
    absl::StrAppendFormat(&svg,
                          "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                          "points=\"%s\"/>\n",
                          color, points);
    for (size_t i = 0; i < series.x.size(); ++i) {
      absl::StrAppendFormat(&svg,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                            "<title>%s: %g, %.4f</title></circle>\n",
                            px(series.x[i]), py(series.y[i]), color,
                            XmlEscape(series.name), series.x[i], series.y[i]);
    }
    const double ly = kTop + 10 + 16 * s;
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
        "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
        kLeft + plot_w + 10, kLeft + plot_w + 30, ly, ly, color,
        kLeft + plot_w + 35, ly + 4, XmlEscape(series.name));
  }
  return svg + "</svg>\n";
}

}  // namespace recommender
