#pragma once

// A run directory as the experiment tools read it: run.json, env.json, recipe.yaml,
// metrics.jsonl, samples.jsonl and an evaluation's report.json, each optional but metrics.

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace forge {

// One metric over a run: a point per logged record that has it, with every x-axis it may need.
struct MetricPoint {
  double step = 0, tokens = 0, seconds = 0, value = 0;
};

struct FORGE_API RunData {
  std::filesystem::path dir;
  nlohmann::json status = nlohmann::json::object();  // run.json
  nlohmann::json env = nlohmann::json::object();     // env.json
  nlohmann::json results;                            // report.json, null when absent
  std::string recipe_text;                           // recipe.yaml, as written
  std::vector<nlohmann::json> metrics;               // metrics.jsonl, one object per record
  std::vector<nlohmann::json> samples;               // samples.jsonl
  std::string name() const;                          // run.json's name, else the folder's
};

// Whether `dir` looks like a run: it holds run.json or recipe.yaml.
FORGE_API bool is_run_dir(const std::filesystem::path& dir);

// Reads a run directory. With `need_metrics`, a run without metrics.jsonl is refused with a
// message that says so; damaged lines of metrics.jsonl (a killed run's last line) are skipped.
FORGE_API RunData load_run(const std::filesystem::path& dir, bool need_metrics = true);

// The numeric metrics of the records, in first-seen order, without the x-axes (step, tokens,
// elapsed_s) that every record carries.
FORGE_API std::vector<std::string> metric_names(const RunData& run);

// The points of `metric`, in record order.
FORGE_API std::vector<MetricPoint> metric_points(const RunData& run, const std::string& metric);

// Whether a smaller value of `metric` is better (losses, bits per byte, perplexity, errors).
FORGE_API bool lower_is_better(const std::string& metric);

// The last and the best value of a metric; `found` is false when no record has it.
struct MetricSummary {
  bool found = false;
  double final_value = 0, best_value = 0, best_step = 0, last_step = 0;
};
FORGE_API MetricSummary summarize_metric(const RunData& run, const std::string& metric);

// The metric that ranks runs when none is named: val_loss, else loss, else the first one.
FORGE_API std::string default_metric(const RunData& run);

// Checks that `metric` is one of the runs' metrics; else throws naming those that exist.
FORGE_API void require_metric(const std::vector<RunData>& runs, const std::string& metric);

}  // namespace forge
