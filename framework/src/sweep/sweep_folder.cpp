#include "sweep/sweep_folder.h"

#include <forge/error.h>
#include <forge/files.h>

#include "io/run_dir.h"
#include "report/text.h"
#include "runs/run_data.h"

namespace forge {
namespace fs = std::filesystem;
namespace {

bool same_plan(const nlohmann::json& a, const nlohmann::json& b) {
  for (const char* key : {"recipe", "fixed", "runs"})
    if (a.value(key, nlohmann::json()) != b.value(key, nlohmann::json())) return false;
  return true;
}

}  // namespace

void claim_sweep_folder(const fs::path& folder, const nlohmann::json& plan) {
  fs::path file = folder / "sweep.json";
  if (fs::exists(file)) {
    nlohmann::json existing = nlohmann::json::parse(read_file(file), nullptr, false);
    if (existing.is_discarded())
      throw Error(cat("'", file.string(),
                      "' is damaged; delete the sweep folder or choose another ",
                      "with --sweep-dir"));
    if (!same_plan(existing, plan))
      throw Error(cat("the sweep folder '", folder.string(), "' holds another sweep (",
                      existing.value("runs", nlohmann::json::array()).size(), " runs of '",
                      existing.value("recipe", std::string("?")), "', see its sweep.json); run ",
                      "that sweep's command to continue it, or give this one its own folder with ",
                      "--sweep-dir"));
    return;
  }
  fs::create_directories(folder);
  write_file_atomic(file, plan.dump(2) + "\n");
}

std::string planned_run_status(const fs::path& folder, const PlannedRun& run) {
  fs::path dir = folder / run.name;
  if (!fs::exists(dir / "run.json")) return "pending";
  nlohmann::json status = read_run_status(dir);
  return status.value("status", std::string("unknown"));
}

std::string write_sweep_summary(const fs::path& folder, const std::vector<PlannedRun>& runs,
                                const std::string& requested) {
  std::vector<RunData> loaded(runs.size());
  std::vector<bool> present(runs.size(), false);
  std::string metric = requested;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    fs::path dir = folder / runs[i].name;
    if (!fs::exists(dir / "run.json")) continue;
    loaded[i] = load_run(dir, false);
    present[i] = true;
    if (metric.empty() && loaded[i].status.value("status", "") == "complete")
      metric = default_metric(loaded[i]);
  }
  std::vector<std::string> header = {"run"};
  if (!runs.empty())
    for (const auto& [key, value] : runs.front().values) header.push_back(key);
  for (const char* column : {"status", "steps", "seconds"}) header.push_back(column);
  header.push_back("final " + (metric.empty() ? std::string("metric") : metric));
  header.push_back("best " + (metric.empty() ? std::string("metric") : metric));
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::vector<std::string> row = {runs[i].name};
    for (const auto& [key, value] : runs[i].values) row.push_back(value);
    const RunData& run = loaded[i];
    MetricSummary s =
        present[i] && !metric.empty() ? summarize_metric(run, metric) : MetricSummary{};
    row.push_back(present[i] ? run.status.value("status", std::string("unknown")) : "pending");
    row.push_back(present[i] && !run.metrics.empty()
                      ? short_number(run.metrics.back().value("step", 0.0))
                      : "");
    row.push_back(present[i] && run.status.contains("seconds")
                      ? short_number(run.status["seconds"].get<double>())
                      : "");
    row.push_back(s.found ? short_number(s.final_value) : "");
    row.push_back(s.found ? short_number(s.best_value) : "");
    rows.push_back(row);
  }
  std::string tsv;
  auto tsv_line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) tsv += (c ? "\t" : "") + cells[c];
    tsv += "\n";
  };
  tsv_line(header);
  for (const auto& row : rows) tsv_line(row);
  write_file_atomic(folder / "summary.tsv", tsv);
  write_file_atomic(folder / "summary.md", "# Sweep " + folder.filename().string() + "\n\n" +
                                               markdown_table(header, rows));
  return metric;
}

}  // namespace forge
