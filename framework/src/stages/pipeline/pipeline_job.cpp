#include "stages/pipeline/pipeline_job.h"

#include <forge/error.h>
#include <forge/files.h>
#include <forge/log.h>

#include "dist/communicator.h"
#include "io/run_dir.h"
#include "stages/pipeline/pipeline_artifacts.h"
#include "stages/pipeline/pipeline_recipes.h"
#include "stages/runner.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>

namespace forge {
namespace fs = std::filesystem;
namespace {

// The stage's run.json, or an empty object when it has none (or a damaged one: resuming
// reports that).
nlohmann::json run_json(const fs::path& dir) {
  try {
    nlohmann::json status = read_run_status(dir);
    return status.is_object() ? status : nlohmann::json::object();
  } catch (const std::exception&) {
    return nlohmann::json::object();
  }
}

std::string status_in(const fs::path& dir) { return run_json(dir).value("status", ""); }

std::optional<double> seconds_in(const nlohmann::json& status) {
  auto seconds = status.find("seconds");
  if (seconds == status.end() || !seconds->is_number()) return std::nullopt;
  return seconds->get<double>();
}

// report.json: one row per stage, which the report card shows with a link to each stage's.
class StageTable {
 public:
  StageTable(const std::vector<ResolvedRecipe>& stages, const fs::path& dir) : dir_(dir) {
    for (const ResolvedRecipe& stage : stages) {
      fs::path run = dir / stage.name;
      nlohmann::json status = run_json(run);
      rows_.push_back({{"name", stage.name},
                       {"stage", stage.stage->name()},
                       {"status", status.value("status", "pending")},
                       {"run_dir", run.string()}});
      if (auto seconds = seconds_in(status)) rows_.back()["seconds"] = *seconds;
    }
  }

  void set(std::size_t index, const std::string& status, std::optional<double> seconds) {
    rows_[index]["status"] = status;
    if (seconds) rows_[index]["seconds"] = *seconds;
    // Rank 0 writes the run's files.
    if (process_world().is_root())
      write_file_atomic(dir_ / "report.json", nlohmann::json{{"stages", rows_}}.dump(2) + "\n");
  }

 private:
  fs::path dir_;
  nlohmann::json rows_ = nlohmann::json::array();
};

class PipelineJob : public StageJob {
 public:
  explicit PipelineJob(Node root) : root_(std::move(root)) {}

  void run(RunContext& context) override {
    FORGE_CHECK(context.plugins, "a pipeline runs with the registry it was resolved with");
    Communicator& world = process_world();
    // Resolved again with the real run folder: the paths its stages pass on are final now.
    std::vector<ResolvedRecipe> stages = resolve_stages(root_, context.dir, *context.plugins);
    StageTable table(stages, context.dir);
    const std::size_t count = stages.size();
    for (std::size_t i = 0; i < count; ++i) {
      ResolvedRecipe& stage = stages[i];
      const fs::path dir = context.dir / stage.name;
      const std::string what = cat("stage ", i + 1, "/", count, " '", stage.name, "'");
      const std::string kind = stage.stage->name();
      // Rank 0 decides, so every rank starts or resumes the same way.
      std::string plan = world.broadcast(world.is_root() ? plan_for(dir) : std::string(), 0);
      if (plan == "skip") {
        log_info(what, " already complete");
        if (world.is_root()) link_last_checkpoint(dir);
        table.set(i, "complete", seconds_in(run_json(dir)));
        continue;
      }
      log_info(what, " (", kind, "): ", plan == "resume" ? "resuming" : "starting");
      table.set(i, "running", std::nullopt);
      auto start = std::chrono::steady_clock::now();
      auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      };
      try {
        if (plan == "resume") {
          resume_run(dir, *context.plugins, context.command);
        } else {
          RunOptions options;
          options.run_dir = dir;
          options.overwrite = true;  // a folder left without recipe.yaml holds nothing to keep
          options.update_latest = false;
          options.command = context.command;
          run_recipe(stage, *context.plugins, options);
        }
      } catch (const std::exception& e) {
        // A stage's run closes the log when it ends; the pipeline's failure goes to its own.
        open_run_log(context.dir);
        table.set(i, "failed", elapsed());
        bool names_dir = dynamic_cast<const RunFailure*>(&e) != nullptr;
        throw RunFailure(cat(what, " (", kind, ") failed: ", e.what(),
                             names_dir ? "" : cat(" (run directory: ", dir.string(), ")")));
      }
      open_run_log(context.dir);
      const double seconds = elapsed();
      std::string status;
      if (world.is_root()) {
        link_last_checkpoint(dir);
        status = status_in(dir);
      }
      status = world.broadcast(status, 0);
      table.set(i, status, seconds);
      if (status != "complete") {
        context.complete = false;
        log_info(what, " is ", status, "; 'forge resume ", context.dir.string(),
                 "' goes on once it is complete");
        return;
      }
      context.metrics->write(
          {{"step", i + 1}, {"name", stage.name}, {"stage", kind}, {"seconds", seconds}});
      log_info(what, " (", kind, "): done in ", fixed(seconds, 1), " s");
    }
    log_info("pipeline: all ", count, " stages complete");
  }

 private:
  static std::string plan_for(const fs::path& dir) {
    if (status_in(dir) == "complete") return "skip";
    return fs::exists(dir / "recipe.yaml") ? "resume" : "start";
  }

  Node root_;
};

}  // namespace

std::unique_ptr<StageJob> make_pipeline_job(Node root) {
  return std::make_unique<PipelineJob>(std::move(root));
}

}  // namespace forge
