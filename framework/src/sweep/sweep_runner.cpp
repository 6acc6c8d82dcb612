#include "sweep/sweep_runner.h"

#include <forge/error.h>
#include <forge/files.h>

#include "io/run_dir.h"
#include "report/text.h"
#include "runs/run_data.h"
#include "stages/resolve.h"
#include "sweep/child_pool.h"
#include "sweep/sweep_folder.h"
#include "sweep/sweep_plan.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace forge {
namespace fs = std::filesystem;
namespace {

void check_options(const SweepOptions& options, const SweepSpace& space) {
  if (options.jobs < 1)
    throw Error(cat("--jobs ", options.jobs, " runs nothing: give the number of runs at once, ",
                    "at least 1"));
  if (options.seeds < 0) throw Error(cat("--seeds ", options.seeds, " is negative; give K >= 1"));
  if (space.axes.empty() && options.seeds == 0)
    throw Error(
        "nothing to sweep: give a key with several values (e.g. optimizer.lr=1e-3,3e-3) "
        "or --seeds K");
  if (options.seeds > 0)
    for (const SweepAxis& axis : space.axes)
      if (axis.key == "seed")
        throw Error("--seeds and a seed=... list both set the seed; use one of them");
}

fs::path default_folder(const std::string& name, const SweepSpace& space) {
  std::string keys;
  for (const SweepAxis& axis : space.axes) {
    std::size_t dot = axis.key.rfind('.');
    keys += (keys.empty() ? "" : ",") +
            (dot == std::string::npos ? axis.key : axis.key.substr(dot + 1));
  }
  return runs_root() / name / (keys.empty() ? std::string("sweep-seeds") : "sweep-" + keys);
}

// Each child gets its share of the cores unless FORGE_THREADS says otherwise.
std::vector<std::string> child_environment(int jobs) {
  if (std::getenv("FORGE_THREADS")) return {};
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return {cat("FORGE_THREADS=", std::max(1u, cores / static_cast<unsigned>(jobs)))};
}

std::string outcome(const fs::path& folder, const PlannedRun& run, int exit_code,
                    const std::string& metric) {
  std::string status = planned_run_status(folder, run);
  std::string line = status;
  if (status != "complete")
    line += cat(" (exit code ", exit_code, "; see ",
                (folder / "logs" / (run.name + ".txt")).string(), ")");
  fs::path dir = folder / run.name;
  if (fs::exists(dir / "run.json")) {
    RunData data = load_run(dir, false);
    if (data.status.contains("seconds"))
      line += " in " + short_number(data.status["seconds"].get<double>()) + " s";
    std::string shown = metric.empty() ? default_metric(data) : metric;
    MetricSummary s = shown.empty() ? MetricSummary{} : summarize_metric(data, shown);
    if (s.found)
      line += cat(", ", shown, " ", short_number(s.final_value), " (best ",
                  short_number(s.best_value), ")");
  }
  return line;
}

// summary.tsv as aligned columns for the terminal.
std::string summary_as_text(const fs::path& folder) {
  std::vector<std::vector<std::string>> rows;
  std::string text = read_file(folder / "summary.tsv");
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> cells;
    std::string line = text.substr(start, end - start);
    for (std::size_t at = 0;;) {
      std::size_t tab = line.find('\t', at);
      cells.push_back(line.substr(at, tab == std::string::npos ? std::string::npos : tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    rows.push_back(cells);
    start = end + 1;
  }
  if (rows.empty()) return "";
  std::vector<std::string> header = rows.front();
  rows.erase(rows.begin());
  return text_table(header, rows);
}

}  // namespace

SweepResult run_sweep(const SweepOptions& options, Registry& plugins) {
  SweepSpace space = parse_sweep_space(options.overrides);
  check_options(options, space);
  std::vector<Assignment> combinations =
      options.random ? sample_grid(space.axes, options.random, options.random_seed)
                     : grid(space.axes);
  std::vector<PlannedRun> runs = plan_runs(with_seeds(combinations, options.seeds));

  // Every run is validated before any starts: a bad value fails now, not after the first runs.
  std::string name;
  for (const PlannedRun& run : runs) {
    std::vector<std::string> overrides = space.fixed;
    for (const std::string& o : run.overrides()) overrides.push_back(o);
    try {
      ResolvedRecipe recipe = resolve_recipe(options.recipe, overrides, plugins);
      if (name.empty()) name = recipe.name;
    } catch (const Error& e) {
      throw Error(cat("sweep run '", run.name, "': ", e.what()));
    }
  }
  SweepResult result;
  result.folder = options.folder ? *options.folder : default_folder(name, space);
  result.planned = runs.size();
  if (options.dry_run) {
    std::cout << "sweep of " << runs.size() << " runs of '" << options.recipe.string() << "' in "
              << result.folder.string() << " (dry run: nothing was started):\n";
    for (const PlannedRun& run : runs) std::cout << "  " << run.name << "\n";
    return result;
  }
  claim_sweep_folder(result.folder, plan_json(options.recipe.string(), space, runs));
  fs::create_directories(result.folder / "logs");

  // Complete runs are kept; any other run starts over in an emptied folder.
  std::vector<const PlannedRun*> todo;
  std::vector<ChildCommand> commands;
  const std::string executable =
      options.executable.empty() ? current_executable() : options.executable;
  for (const PlannedRun& run : runs) {
    if (planned_run_status(result.folder, run) == "complete") {
      ++result.skipped;
      continue;
    }
    fs::remove_all(result.folder / run.name);
    ChildCommand command;
    command.argv = {executable, "run", options.recipe.string()};
    for (const std::string& o : space.fixed) command.argv.push_back(o);
    for (const std::string& o : run.overrides()) command.argv.push_back(o);
    command.argv.push_back("--run-dir");
    command.argv.push_back((result.folder / run.name).string());
    command.output = result.folder / "logs" / (run.name + ".txt");
    commands.push_back(command);
    todo.push_back(&run);
  }
  std::cout << "sweep: " << runs.size() << " runs in " << result.folder.string() << ": "
            << result.skipped << " complete already, " << todo.size() << " to run, "
            << std::min<std::size_t>(static_cast<std::size_t>(options.jobs), todo.size())
            << " at a time" << std::endl;
  std::string metric = write_sweep_summary(result.folder, runs, options.metric);

  ChildPoolOptions pool;
  pool.parallel = options.jobs;
  pool.environment = child_environment(options.jobs);
  std::size_t done = result.skipped;
  pool.started = [&](std::size_t i) { std::cout << "started " << todo[i]->name << std::endl; };
  pool.finished = [&](std::size_t i, int exit_code) {
    const PlannedRun& run = *todo[i];
    bool complete = exit_code == 0 && planned_run_status(result.folder, run) == "complete";
    ++(complete ? result.complete : result.failed);
    std::cout << "[" << ++done << "/" << runs.size() << "] " << run.name << ": "
              << outcome(result.folder, run, exit_code, metric) << std::endl;
    metric = write_sweep_summary(result.folder, runs, options.metric);
  };
  result.signal = run_children(commands, pool);
  write_sweep_summary(result.folder, runs, options.metric);
  std::cout << summary_as_text(result.folder)
            << "summary: " << (result.folder / "summary.md").string() << std::endl;
  return result;
}

}  // namespace forge
