#include "runs/run_data.h"

#include <forge/error.h>
#include <forge/files.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

namespace forge {
namespace fs = std::filesystem;
namespace {

nlohmann::json read_json_file(const fs::path& file, nlohmann::json fallback) {
  if (!fs::exists(file)) return fallback;
  nlohmann::json value = nlohmann::json::parse(read_file(file), nullptr, false);
  if (value.is_discarded())
    throw Error(cat("'", file.string(), "' is not valid JSON; repair or delete it"));
  return value;
}

// A killed process can leave half a line at the end; the tools read what is whole.
std::vector<nlohmann::json> read_records(const fs::path& file) {
  std::vector<nlohmann::json> records;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_discarded() && record.is_object()) records.push_back(std::move(record));
  }
  return records;
}

bool is_x_axis(const std::string& key) {
  return key == "step" || key == "tokens" || key == "elapsed_s";
}

double number_or(const nlohmann::json& record, const char* key, double fallback) {
  auto found = record.find(key);
  return found != record.end() && found->is_number() ? found->get<double>() : fallback;
}

}  // namespace

std::string RunData::name() const {
  if (status.contains("name") && status["name"].is_string()) return status["name"];
  return dir.filename().string();
}

bool is_run_dir(const fs::path& dir) {
  std::error_code error;
  return fs::is_regular_file(dir / "run.json", error) ||
         fs::is_regular_file(dir / "recipe.yaml", error);
}

RunData load_run(const fs::path& dir, bool need_metrics) {
  if (!fs::is_directory(dir))
    throw Error(cat("'", dir.string(), "' is not a folder; name a run directory such as ",
                    "runs/NAME/latest ('forge runs' lists them)"));
  RunData run;
  run.dir = dir;
  fs::path metrics = dir / "metrics.jsonl";
  if (need_metrics && !fs::exists(metrics))
    throw Error(cat("'", dir.string(), "' has no metrics.jsonl: ",
                    is_run_dir(dir) ? "the run logged no metrics yet"
                                    : "it is not a run directory ('forge runs' lists them)"));
  run.status = read_json_file(dir / "run.json", nlohmann::json::object());
  run.env = read_json_file(dir / "env.json", nlohmann::json::object());
  run.results = read_json_file(dir / "report.json", nullptr);
  if (fs::exists(dir / "recipe.yaml")) run.recipe_text = read_file(dir / "recipe.yaml");
  run.metrics = read_records(metrics);
  run.samples = read_records(dir / "samples.jsonl");
  return run;
}

std::vector<std::string> metric_names(const RunData& run) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const nlohmann::json& record : run.metrics)
    for (const auto& [key, value] : record.items())
      if (value.is_number() && !is_x_axis(key) && seen.insert(key).second) names.push_back(key);
  return names;
}

std::vector<MetricPoint> metric_points(const RunData& run, const std::string& metric) {
  std::vector<MetricPoint> points;
  for (std::size_t i = 0; i < run.metrics.size(); ++i) {
    const nlohmann::json& record = run.metrics[i];
    double value = number_or(record, metric.c_str(), NAN);
    if (!std::isfinite(value)) continue;
    MetricPoint point;
    point.step = number_or(record, "step", static_cast<double>(i + 1));
    point.tokens = number_or(record, "tokens", point.step);
    point.seconds = number_or(record, "elapsed_s", point.step);
    point.value = value;
    points.push_back(point);
  }
  return points;
}

bool lower_is_better(const std::string& metric) {
  for (const char* word : {"loss", "bpb", "perplexity", "ppl", "error"})
    if (metric.find(word) != std::string::npos) return true;
  return false;
}

MetricSummary summarize_metric(const RunData& run, const std::string& metric) {
  MetricSummary summary;
  const bool lower = lower_is_better(metric);
  for (const MetricPoint& point : metric_points(run, metric)) {
    if (!summary.found ||
        (lower ? point.value < summary.best_value : point.value > summary.best_value)) {
      summary.best_value = point.value;
      summary.best_step = point.step;
    }
    summary.found = true;
    summary.final_value = point.value;
    summary.last_step = point.step;
  }
  return summary;
}

std::string default_metric(const RunData& run) {
  std::vector<std::string> names = metric_names(run);
  for (const char* preferred : {"val_loss", "loss"})
    if (std::find(names.begin(), names.end(), preferred) != names.end()) return preferred;
  return names.empty() ? "" : names.front();
}

void require_metric(const std::vector<RunData>& runs, const std::string& metric) {
  std::vector<std::string> known;
  for (const RunData& run : runs)
    for (const std::string& name : metric_names(run)) {
      if (name == metric) return;
      if (std::find(known.begin(), known.end(), name) == known.end()) known.push_back(name);
    }
  std::string list;
  for (const std::string& name : known) list += (list.empty() ? "" : ", ") + name;
  throw Error(cat("no run has the metric '", metric, "'; --metric takes one of: ",
                  list.empty() ? "(none: the runs logged no numeric metrics)" : list));
}

}  // namespace forge
