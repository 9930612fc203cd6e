// A small line chart as inline SVG (no scripts, no external files), for the
// evaluation's HTML report: one polyline with markers per series, axes with
// ticks, a legend.
//
// Thread-safe: pure function.
#ifndef TRAINING_EVALUATION_SVG_CHART_H_
#define TRAINING_EVALUATION_SVG_CHART_H_

#include <string>
#include <vector>

namespace recommender {

struct ChartSeries {
  std::string name;
  // Same length; x ascending.
  std::vector<double> x;
  std::vector<double> y;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  // Spread the x values by log scale (e.g. k = 1..50).
  bool log_x = false;
};

// An <svg> element, 640 x 360 user units. Text is XML-escaped.
std::string RenderSvg(const LineChart& chart);

// `text` with &, <, >, " escaped for HTML and XML.
std::string XmlEscape(const std::string& text);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_SVG_CHART_H_
