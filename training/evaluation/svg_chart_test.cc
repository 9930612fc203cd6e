#include "training/evaluation/svg_chart.h"

#include <string>

#include "gtest/gtest.h"

namespace recommender {
namespace {

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

TEST(XmlEscapeTest, EscapesTheFourSpecialCharacters) {
  EXPECT_EQ(XmlEscape("a & b < c > \"d\""),
            "a &amp; b &lt; c &gt; &quot;d&quot;");
  EXPECT_EQ(XmlEscape("plain 'text'"), "plain 'text'");
  EXPECT_EQ(XmlEscape(""), "");
}

// The plot area is x 60..490 and y 30..315 (640 x 360 less the margins);
// y runs from 0 to 1.1 times the largest value.
TEST(RenderSvgTest, PointsAreScaledIntoThePlotArea) {
  LineChart chart;
  chart.title = "recall";
  chart.series = {{"ials", {1, 2, 3}, {0, 0.5, 1.0}}};
  const std::string svg = RenderSvg(chart);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"", 0),
            0u);
  EXPECT_NE(svg.find("width=\"640\" height=\"360\""), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_NE(svg.find("points=\"60.0,315.0 275.0,185.5 490.0,55.9\""),
            std::string::npos)
      << svg;
  EXPECT_EQ(Count(svg, "<polyline"), 1);
  EXPECT_EQ(Count(svg, "<circle"), 3);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(RenderSvgTest, LogXSpreadsPowersOfTenEvenly) {
  LineChart chart;
  chart.log_x = true;
  chart.series = {{"ials", {1, 10, 100}, {0, 0.5, 1.0}}};
  EXPECT_NE(RenderSvg(chart).find("points=\"60.0,315.0 275.0,185.5 490.0,55.9\""),
            std::string::npos);
}

TEST(RenderSvgTest, OneColouredLineAndLegendEntryPerSeries) {
  LineChart chart;
  chart.series = {{"first", {1, 2}, {0.1, 0.2}}, {"second", {1, 2}, {0.3, 0.4}}};
  const std::string svg = RenderSvg(chart);
  EXPECT_EQ(Count(svg, "<polyline"), 2);
  EXPECT_EQ(Count(svg, "stroke=\"#1f77b4\""), 2);  // Line and legend.
  EXPECT_EQ(Count(svg, "stroke=\"#ff7f0e\""), 2);
  EXPECT_NE(svg.find(">first</text>"), std::string::npos);
  EXPECT_NE(svg.find(">second</text>"), std::string::npos);
}

TEST(RenderSvgTest, TextIsEscaped) {
  LineChart chart;
  chart.title = "P&R <k>";
  chart.x_label = "k \"cut\"";
  chart.y_label = "a<b";
  chart.series = {{"x&y", {1}, {1}}};
  const std::string svg = RenderSvg(chart);
  EXPECT_NE(svg.find(">P&amp;R &lt;k&gt;</text>"), std::string::npos);
  EXPECT_NE(svg.find(">k &quot;cut&quot;</text>"), std::string::npos);
  EXPECT_NE(svg.find(">a&lt;b</text>"), std::string::npos);
  EXPECT_NE(svg.find(">x&amp;y</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<k>"), std::string::npos);
}

TEST(RenderSvgTest, AnEmptyChartIsStillAnSvg) {
  const std::string svg = RenderSvg(LineChart());
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(Count(svg, "<polyline"), 0);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

}  // namespace
}  // namespace recommender
