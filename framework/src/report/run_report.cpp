#include "report/run_report.h"

#include <forge/files.h>

#include "report/line_chart.h"
#include "report/page.h"
#include "report/pipeline_view.h"
#include "report/results_view.h"
#include "report/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace forge {
namespace {

using Rows = std::vector<std::vector<std::string>>;
constexpr std::size_t kMaxCharts = 24, kMaxSamples = 6, kMaxPoints = 600;

std::string field(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  return found == object.end() ? "" : json_cell(*found);
}

// Status, times, steps, tokens and throughput: what a glance at a run wants.
Rows overview(const RunData& run) {
  Rows rows = {{"name", run.name()},
               {"stage", field(run.status, "stage")},
               {"status", field(run.status, "status")},
               {"started", field(run.status, "started")},
               {"finished", field(run.status, "finished")},
               {"seconds", field(run.status, "seconds")}};
  if (run.status.contains("error")) rows.push_back({"error", field(run.status, "error")});
  if (!run.metrics.empty()) {
    const nlohmann::json& last = run.metrics.back();
    rows.push_back({"steps", field(last, "step")});
    if (last.contains("tokens")) rows.push_back({"tokens", field(last, "tokens")});
    if (last.contains("elapsed_s"))
      rows.push_back({"elapsed s (training)", field(last, "elapsed_s")});
  }
  for (const char* rate : {"tok_per_s", "gflops", "mfu"}) {
    std::vector<MetricPoint> points = metric_points(run, rate);
    if (points.empty()) continue;
    double sum = 0;
    for (const MetricPoint& p : points) sum += p.value;
    rows.push_back(
        {std::string("mean ") + rate, short_number(sum / static_cast<double>(points.size()))});
  }
  return rows;
}

// The metric runs are ranked by comes first: it is the one people look for.
std::vector<std::string> ordered_metrics(const RunData& run) {
  std::vector<std::string> names = metric_names(run);
  auto at = std::find(names.begin(), names.end(), default_metric(run));
  if (at != names.end()) std::rotate(names.begin(), at, at + 1);
  return names;
}

Rows metric_rows(const RunData& run) {
  Rows rows;
  for (const std::string& metric : ordered_metrics(run)) {
    MetricSummary s = summarize_metric(run, metric);
    rows.push_back({metric, short_number(s.final_value), short_number(s.best_value),
                    short_number(s.best_step), lower_is_better(metric) ? "lower" : "higher"});
  }
  return rows;
}

void flatten_json(const nlohmann::json& value, const std::string& path, Rows& rows) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, item] : value.items())
      flatten_json(item, path.empty() ? key : path + "." + key, rows);
  } else if (value.is_array() && !value.empty() && value.front().is_object()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      flatten_json(value[i], path + "[" + std::to_string(i) + "]", rows);
  } else {
    rows.push_back({path, json_cell(value)});
  }
}

// A small model's samples hold control bytes; they are shown as \xNN rather than lost.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Rows sample_rows(const RunData& run) {
  Rows rows;
  std::size_t first = run.samples.size() > kMaxSamples ? run.samples.size() - kMaxSamples : 0;
  for (std::size_t i = first; i < run.samples.size(); ++i) {
    const nlohmann::json& s = run.samples[i];
    std::string text = printable(s.contains("text") ? json_cell(s["text"]) : s.dump());
    if (text.size() > 600) text = text.substr(0, 600) + "...";
    rows.push_back({field(s, "step"), field(s, "prompt"), text});
  }
  return rows;
}

std::string title_of(const RunData& run) {
  return run.name() + " (" + field(run.status, "stage") + ", " + field(run.status, "status") + ")";
}

// A pipeline's report.json is its table of stages, linked to theirs; any other stage's is its
// evaluation.
bool shows_stages(const RunData& run) {
  return field(run.status, "stage") == "pipeline" && is_pipeline_results(run.results);
}

std::string results_title(const RunData& run) {
  return shows_stages(run) ? "Stages" : "Evaluation results";
}

std::string results_body(const RunData& run, Markup markup) {
  return shows_stages(run) ? render_pipeline_stages(run.results, markup)
                           : render_results(run.results, markup);
}

}  // namespace

std::string run_report_html(const RunData& run) {
  std::string body = "<h1>" + html_escape(title_of(run)) + "</h1><p class=\"muted\">" +
                     html_escape(run.dir.string()) + "</p>\n<h2>Overview</h2>\n" +
                     html_table({"field", "value"}, overview(run));
  std::vector<std::string> metrics = ordered_metrics(run);
  if (!metrics.empty()) {
    body += "<h2>Metrics</h2>\n" +
            html_table({"metric", "final", "best", "best at step", "better"}, metric_rows(run)) +
            chart_controls() + "<div class=\"charts\">\n";
    for (std::size_t i = 0; i < metrics.size() && i < kMaxCharts; ++i)
      body += render_line_chart(
          metrics[i],
          {{run.name(), series_color(0), thin_points(metric_points(run, metrics[i]), kMaxPoints)}},
          {});
    body += "</div>\n";
  }
  if (!run.results.is_null())
    body += "<h2>" + results_title(run) + "</h2>\n" + results_body(run, Markup::html);
  if (!run.samples.empty())
    body += "<h2>Samples</h2>\n" + html_table({"step", "prompt", "text"}, sample_rows(run));
  body += "<h2>Recipe</h2>\n<pre>" + html_escape(run.recipe_text) + "</pre>\n";
  Rows env;
  flatten_json(run.env, "", env);
  if (!env.empty()) body += "<h2>Environment</h2>\n" + html_table({"key", "value"}, env);
  return html_page(run.name() + " report", body);
}

std::string run_report_markdown(const RunData& run) {
  std::string md = "# " + title_of(run) + "\n\n`" + run.dir.string() + "`\n\n## Overview\n\n" +
                   markdown_table({"field", "value"}, overview(run)) + "\n";
  if (!metric_names(run).empty())
    md += "## Metrics\n\n" +
          markdown_table({"metric", "final", "best", "best at step", "better"}, metric_rows(run)) +
          "\nCharts: report.html.\n\n";
  if (!run.results.is_null())
    md += "## " + results_title(run) + "\n\n" + results_body(run, Markup::markdown);
  if (!run.samples.empty())
    md += "## Samples\n\n" + markdown_table({"step", "prompt", "text"}, sample_rows(run)) + "\n";
  md += "## Recipe\n\n```yaml\n" + run.recipe_text + "```\n\n";
  Rows env;
  flatten_json(run.env, "", env);
  if (!env.empty()) md += "## Environment\n\n" + markdown_table({"key", "value"}, env);
  return md;
}

void write_run_report(const std::filesystem::path& run_dir) {
  RunData run = load_run(run_dir, false);
  write_file_atomic(run_dir / "report.html", run_report_html(run));
  write_file_atomic(run_dir / "report.md", run_report_markdown(run));
}

}  // namespace forge
