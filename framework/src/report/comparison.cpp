#include "report/comparison.h"

#include "report/line_chart.h"
#include "report/page.h"
#include "report/parallel_chart.h"
#include "report/results_view.h"
#include "report/text.h"

#include <algorithm>
#include <cmath>

namespace forge {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxCharts = 24, kMaxPoints = 600, kMaxAxes = 12;

fs::path common_folder(const std::vector<fs::path>& dirs) {
  fs::path common = fs::absolute(dirs.front()).lexically_normal().parent_path();
  for (const fs::path& dir : dirs) {
    fs::path d = fs::absolute(dir).lexically_normal();
    while (!common.empty() && d.lexically_relative(common).string().rfind("..", 0) == 0)
      common = common.parent_path();
  }
  return common;
}

std::vector<std::string> all_metrics(const Comparison& c) {
  std::vector<std::string> out;
  for (const RunData& run : c.runs)
    for (const std::string& m : metric_names(run))
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  // The ranking metric first: it is the chart people look for.
  auto at = std::find(out.begin(), out.end(), c.metric);
  if (at != out.end()) std::rotate(out.begin(), at, at + 1);
  return out;
}

}  // namespace

Comparison compare_runs(const std::vector<fs::path>& dirs, const std::string& metric) {
  Comparison c;
  fs::path common = common_folder(dirs);
  for (const fs::path& dir : dirs) {
    c.runs.push_back(load_run(dir, true));
    c.recipes.push_back(
        flatten_recipe_text(c.runs.back().recipe_text, (dir / "recipe.yaml").string()));
    std::string label = fs::absolute(dir).lexically_normal().lexically_relative(common).string();
    c.labels.push_back(label.empty() || label == "." ? dir.filename().string() : label);
  }
  c.keys = differing_keys(c.recipes);
  c.metric = metric.empty() ? default_metric(c.runs.front()) : metric;
  if (!c.metric.empty()) require_metric(c.runs, c.metric);
  return c;
}

std::vector<std::vector<std::string>> comparison_rows(const Comparison& c,
                                                      std::vector<std::string>& header) {
  header = {"run"};
  header.insert(header.end(), c.keys.begin(), c.keys.end());
  for (const char* column : {"status", "steps"}) header.push_back(column);
  header.push_back("final " + c.metric);
  header.push_back("best " + c.metric);
  header.push_back("best at");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    std::vector<std::string> row = {c.labels[r]};
    for (const std::string& key : c.keys) {
      auto found = c.recipes[r].find(key);
      row.push_back(found == c.recipes[r].end() ? "-" : found->second);
    }
    const RunData& run = c.runs[r];
    row.push_back(run.status.value("status", "?"));
    row.push_back(
        run.metrics.empty() ? "0" : json_cell(run.metrics.back().value("step", nlohmann::json())));
    MetricSummary s = summarize_metric(run, c.metric);
    row.push_back(s.found ? short_number(s.final_value) : "-");
    row.push_back(s.found ? short_number(s.best_value) : "-");
    row.push_back(s.found ? "step " + short_number(s.best_step) : "-");
    rows.push_back(row);
  }
  return rows;
}

std::string comparison_html(const Comparison& c) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows = comparison_rows(c, header);
  std::string body = "<h1>Comparison of " + std::to_string(c.runs.size()) + " runs</h1>\n" +
                     html_table(header, rows);
  if (c.runs.size() >= 2 && !c.keys.empty()) {
    // Runs of unrelated recipes differ everywhere; a readable chart has a dozen axes at most.
    std::vector<ParallelAxis> axes;
    for (const std::string& key : c.keys) {
      if (axes.size() == kMaxAxes) break;
      ParallelAxis axis{key, {}};
      for (const FlatRecipe& recipe : c.recipes) {
        auto found = recipe.find(key);
        axis.values.push_back(found == recipe.end() ? "" : found->second);
      }
      axes.push_back(axis);
    }
    std::vector<double> values;
    for (const RunData& run : c.runs) {
      MetricSummary s = summarize_metric(run, c.metric);
      values.push_back(s.found ? s.best_value : NAN);
    }
    body += "<h2>Hyperparameters against best " + html_escape(c.metric) + "</h2>\n" +
            chart_legend(c.labels) +
            render_parallel_chart(axes, "best " + c.metric, values, c.labels);
  }
  body +=
      "<h2>Metrics</h2>\n" + chart_legend(c.labels) + chart_controls() + "<div class=\"charts\">\n";
  std::vector<std::string> metrics = all_metrics(c);
  for (std::size_t m = 0; m < metrics.size() && m < kMaxCharts; ++m) {
    std::vector<ChartSeries> series;
    for (std::size_t r = 0; r < c.runs.size(); ++r)
      series.push_back({c.labels[r], series_color(r),
                        thin_points(metric_points(c.runs[r], metrics[m]), kMaxPoints)});
    body += render_line_chart(metrics[m], series, {});
  }
  body += "</div>\n";
  return html_page("Forge comparison", body);
}

}  // namespace forge
