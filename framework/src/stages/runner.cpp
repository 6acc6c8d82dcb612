#include "stages/runner.h"

#include <forge/files.h>
#include <forge/log.h>
#include <forge/parallel.h>

#include "dist/communicator.h"
#include "io/environment.h"
#include "io/run_dir.h"
#include "recipe/recipe.h"
#include "report/run_report.h"

#include <chrono>

namespace forge {
namespace fs = std::filesystem;
namespace {

nlohmann::json run_status(const ResolvedRecipe& recipe, const std::string& status) {
  return {{"name", recipe.name}, {"stage", recipe.stage->name()}, {"status", status}};
}

// report.html and report.md, whatever the outcome; a report that cannot be written costs a
// warning, never the run.
void write_report(const fs::path& dir) {
  try {
    write_run_report(dir);
  } catch (const std::exception& e) {
    log_warn("the run's report was not written (", e.what(), "); 'forge report ", dir.string(),
             "' tries again");
  }
}

// Runs a prepared job, keeping run.json's status true to what happened. Rank 0 writes the
// run's files; a failing rank records its error before all ranks end.
void work(StageJob& job, const ResolvedRecipe& recipe, RunContext& context) {
  Communicator& world = process_world();
  nlohmann::json status = read_run_status(context.dir);
  status.update(run_status(recipe, "running"));
  if (!status.contains("started")) status["started"] = utc_timestamp();
  if (world.is_root()) write_run_status(context.dir, status);
  MetricsWriter metrics(world.is_root() ? context.dir / "metrics.jsonl" : fs::path());
  context.metrics = &metrics;
  auto start = std::chrono::steady_clock::now();
  try {
    job.run(context);
  } catch (const std::exception& e) {
    const std::string where = world.size() > 1 ? cat("rank ", world.rank(), ": ") : "";
    status["status"] = "failed";
    status["error"] = where + e.what();
    status["finished"] = utc_timestamp();
    write_run_status(context.dir, status);
    log_error(e.what());
    if (world.is_root()) write_report(context.dir);
    set_log_file({});
    throw RunFailure(cat(e.what(), " (run directory: ", context.dir.string(), ")"));
  }
  // With several ranks the run is complete once every rank is done and one says so.
  if (world.size() > 1)
    context.complete = world.all_reduce({context.complete ? 1.0 : 0.0}, ReduceOp::max)[0] > 0;
  if (!world.is_root()) {
    set_log_file({});
    return;
  }
  status["status"] = context.complete ? "complete" : "incomplete";
  status.erase("error");
  if (!context.stopped_early.empty()) status["stopped_early"] = context.stopped_early;
  status["finished"] = utc_timestamp();
  status["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_run_status(context.dir, status);
  write_report(context.dir);
  if (context.complete)
    log_info("run complete: ", context.dir.string());
  else
    log_info("this process's share is done; the run completes when every process has finished: ",
             context.dir.string());
  set_log_file({});
}

}  // namespace

// Every rank logs to its own file; rank 0's is log.txt.
void open_run_log(const fs::path& dir) {
  const Communicator& world = process_world();
  set_log_rank(world.rank());
  set_log_file(world.rank() == 0 ? dir / "log.txt" : dir / cat("log.rank-", world.rank(), ".txt"));
}

fs::path run_recipe(ResolvedRecipe& recipe, Registry& plugins, const RunOptions& options) {
  std::unique_ptr<StageJob> job = recipe.stage->prepare(Config(recipe.root, ""), plugins);
  if (options.dry_run) {
    log_info("recipe is valid; stage '", recipe.stage->name(), "' would run as '", recipe.name,
             "' (dry run: nothing was started)");
    return {};
  }
  // Rank 0 makes the folder and tells the others where it is.
  Communicator& world = process_world();
  unsigned threads = default_threads();
  fs::path dir;
  if (world.is_root()) {
    dir = create_run_dir(recipe.name, options.run_dir, options.overwrite);
    write_file_atomic(dir / "recipe.yaml", resolved_yaml(recipe));
    write_file_atomic(dir / "env.json",
                      describe_environment(threads, options.command).dump(2) + "\n");
    if (options.update_latest) update_latest_link(recipe.name, dir);
  }
  dir = world.broadcast(dir.string(), 0);
  open_run_log(dir);
  log_info("run '", recipe.name, "' (stage ", recipe.stage->name(), ") in ", dir.string(),
           world.size() > 1 ? cat(", rank ", world.rank(), " of ", world.size()) : "");
  RunContext context{dir, false, threads, nullptr};
  context.plugins = &plugins;
  context.command = options.command;
  work(*job, recipe, context);
  return dir;
}

void resume_run(const fs::path& run_dir, Registry& plugins, const std::string& command) {
  fs::path recipe_file = run_dir / "recipe.yaml";
  if (!fs::exists(recipe_file))
    throw Error(cat("'", run_dir.string(), "' is not a run directory: it has no recipe.yaml"));
  nlohmann::json status = read_run_status(run_dir);
  // recipe.yaml is resolved; interpolating again only turns "$${" escapes back into "${"
  // (deferred keys were written as they are, so they stay as they are).
  Node root = load_recipe(recipe_file);
  interpolate(root, deferred_keys_of(root));
  ResolvedRecipe recipe = resolve_tree(std::move(root), "run", plugins);
  if (status.value("status", "") == "complete") {
    log_info("run '", recipe.name, "' in ", run_dir.string(), " is already complete");
    return;
  }
  std::unique_ptr<StageJob> job = recipe.stage->prepare(Config(recipe.root, ""), plugins);
  Communicator& world = process_world();
  unsigned threads = default_threads();
  if (world.is_root())
    write_file_atomic(run_dir / "env.json", describe_environment(threads, command).dump(2) + "\n");
  open_run_log(run_dir);
  log_info("resuming run '", recipe.name, "' (stage ", recipe.stage->name(), ") in ",
           run_dir.string());
  RunContext context{run_dir, true, threads, nullptr};
  context.plugins = &plugins;
  context.command = command;
  work(*job, recipe, context);
}

}  // namespace forge
