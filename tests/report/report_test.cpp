#include "report/line_chart.h"
#include "report/parallel_chart.h"
#include "report/results_view.h"
#include "report/run_report.h"
#include "report/text.h"

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

namespace fs = std::filesystem;

std::size_t count(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

TEST(Smoothing, IsADebiasedMovingAverage) {
  std::vector<double> values = {4, 2, 2, 2};
  EXPECT_EQ(smooth_values(values, 0), values);
  std::vector<double> smooth = smooth_values(values, 0.5);
  EXPECT_DOUBLE_EQ(smooth[0], 4) << "starts at the first value, not at 0";
  EXPECT_DOUBLE_EQ(smooth[1], (0.25 * 4 + 0.5 * 2) / 0.75);
  EXPECT_GT(smooth[3], 2);
  EXPECT_LT(smooth[3], smooth[1]);
  for (double v : smooth_values({3, 3, 3}, 0.9)) EXPECT_NEAR(v, 3, 1e-12);
}

TEST(LineChart, TicksAreRoundAndPointsAreThinned) {
  EXPECT_EQ(nice_ticks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  std::vector<double> ticks = nice_ticks(0.13, 0.61, 5), expected = {0.2, 0.3, 0.4, 0.5, 0.6};
  ASSERT_EQ(ticks.size(), expected.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i], expected[i], 1e-12);
  std::vector<MetricPoint> points(1000);
  for (std::size_t i = 0; i < points.size(); ++i) points[i].step = static_cast<double>(i);
  std::vector<MetricPoint> thin = thin_points(points, 100);
  ASSERT_EQ(thin.size(), 100u);
  EXPECT_EQ(thin.front().step, 0);
  EXPECT_EQ(thin.back().step, 999);
}

TEST(LineChart, DrawsOnePathPerSeriesWithItsData) {
  ChartSeries a{"run <a>", "#111111", {{1, 10, 1, 3.0}, {2, 20, 2, 2.0}, {3, 30, 3, 1.5}}};
  ChartSeries b{"run b", "#222222", {{1, 10, 1, 2.5}}};
  std::string svg = render_line_chart("val_loss", {a, b}, {});
  EXPECT_EQ(count(svg, "<path class=\"series\""), 2u);
  EXPECT_NE(svg.find("d=\"M64.0 "), std::string::npos) << "the first point sits on the left edge";
  EXPECT_NE(svg.find("<circle"), std::string::npos) << "a lone point is drawn as a dot";
  EXPECT_NE(svg.find("run &lt;a&gt;"), std::string::npos);
  EXPECT_NE(svg.find("\"tokens\":[10.0,20.0,30.0]"), std::string::npos) << svg;
  std::string log = render_line_chart("loss", {a}, {XAxis::tokens, 0.6, true});
  EXPECT_NE(log.find("loss (log)"), std::string::npos);
  EXPECT_NE(log.find(">tokens</text>"), std::string::npos);
}

TEST(ParallelChart, OneAxisPerKeyPlusTheMetric) {
  std::string svg =
      render_parallel_chart({{"lr", {"1e-4", "1e-3", "1e-2"}}, {"act", {"gelu", "relu", "gelu"}}},
                            "best val_loss", {2.0, 1.5, NAN}, {"r1", "r2", "r3"});
  EXPECT_EQ(count(svg, "class=\"pc-axis\""), 3u);
  EXPECT_EQ(count(svg, "class=\"pc-line\""), 3u);
  EXPECT_NE(svg.find(">relu<"), std::string::npos);
  EXPECT_NE(svg.find(">best val_loss<"), std::string::npos);
}

TEST(ResultsView, ListsOfObjectsBecomeTablesReadByStep) {
  nlohmann::json results = {
      {"questions", 12},
      {"evaluations", {{{"step", 0}, {"pass@1", 0.25}}, {{"step", 3}, {"pass@1", 0.5}}}},
      {"held_out", {{"correct", 3}, {"total", 8}}}};
  std::string md = render_results(results, Markup::markdown);
  EXPECT_NE(md.find("| step | pass@1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 3 | 0.5 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| questions | 12 |"), std::string::npos) << md;
  EXPECT_NE(md.find("### held_out"), std::string::npos) << md;
  EXPECT_NE(render_results(results, Markup::html).find("<table>"), std::string::npos);
  EXPECT_EQ(markdown_table({"a"}, {{"x|y"}}), "| a |\n| --- |\n| x\\|y |\n");
  EXPECT_EQ(short_number(0.000012345), "1.23e-05");
  EXPECT_EQ(short_number(1200), "1200");
}

TEST(RunReport, CardHoldsOverviewChartsSamplesResultsRecipeAndEnvironment) {
  fs::path dir = test::temp_dir("run-report");
  test::write_text(dir / "run.json", R"({"name": "card", "stage": "rl", "status": "failed",
      "error": "out of memory", "started": "2026-12-01T10:00:00Z", "seconds": 12.5})");
  test::write_text(dir / "env.json",
                   R"({"host": "box", "threads": 2, "gpus": [{"name": "H200"}]})");
  test::write_text(dir / "recipe.yaml", "stage: rl\nname: card\n");
  test::write_text(dir / "metrics.jsonl",
                   "{\"step\": 1, \"loss\": 2, \"tok_per_s\": 100}\n"
                   "{\"step\": 2, \"loss\": 1, \"tok_per_s\": 300}\n");
  test::write_text(dir / "samples.jsonl",
                   "{\"step\": 2, \"prompt\": \"Hi\", \"text\": \"<b>there\"}\n");
  test::write_text(dir / "report.json", R"({"after": {"step": 2, "pass@1": 0.75}})");
  write_run_report(dir);
  std::string html = test::read_text(dir / "report.html");
  std::string md = test::read_text(dir / "report.md");
  for (const char* part : {"Overview", "Metrics", "Evaluation results", "Samples", "Recipe",
                           "Environment", "out of memory"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
    EXPECT_NE(md.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(count(html, "<figure class=\"chart\""), 2u) << "loss and tok_per_s";
  EXPECT_NE(html.find("&lt;b&gt;there"), std::string::npos) << "sample text is escaped";
  EXPECT_EQ(html.find("<script src"), std::string::npos) << "nothing is loaded from elsewhere";
  EXPECT_NE(md.find("| mean tok_per_s | 200 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| gpus[0].name | H200 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| pass@1 | 0.75 |"), std::string::npos) << md;
}

}  // namespace
}  // namespace forge
