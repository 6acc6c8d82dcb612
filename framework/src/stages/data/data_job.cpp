#include "stages/data/data_job.h"

#include <forge/files.h>
#include <forge/log.h>
#include <forge/parallel.h>
#include <forge/progress.h>

#include "stages/data/task_split.h"

#include <atomic>
#include <chrono>
#include <cstdio>

namespace forge {
namespace fs = std::filesystem;
namespace {

std::string task_name(std::size_t index) {
  std::string digits = std::to_string(index);
  return std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
}

// The shard list is saved with the run; a resumed run must see the same input.
void check_shards(const fs::path& tasks_dir, const std::vector<std::string>& shards) {
  fs::path file = tasks_dir / "shards.json";
  nlohmann::json current = shards;
  if (!fs::exists(file)) {
    write_file_atomic(file, current.dump(1) + "\n");
    return;
  }
  nlohmann::json saved = nlohmann::json::parse(read_file(file), nullptr, false);
  if (saved != current)
    throw Error(cat("the input changed since this run started (",
                    saved.is_array() ? saved.size() : 0, " shards then, ", shards.size(),
                    " now); start a new run instead of resuming"));
}

class DataJob : public StageJob {
 public:
  DataJob(std::shared_ptr<DataPipeline> pipeline, unsigned workers)
      : pipeline_(std::move(pipeline)), workers_(workers) {}

  void run(RunContext& context) override {
    const std::vector<std::string>& shards = pipeline_->shards;
    fs::path tasks_dir = context.dir / "tasks";
    fs::create_directories(tasks_dir);
    check_shards(tasks_dir, shards);
    TaskSplit split = task_split_from_environment();
    std::vector<std::size_t> mine = split.select(shards.size());
    std::vector<std::size_t> todo;
    for (std::size_t index : mine)
      if (!fs::exists(marker(tasks_dir, index))) todo.push_back(index);
    unsigned workers = workers_ ? workers_ : context.threads;
    log_info(pipeline_->stage, ": ", shards.size(), " tasks", split.describe(), ", ",
             mine.size() - todo.size(), " already done, ", todo.size(), " to run on ", workers,
             " workers");

    Progress progress(pipeline_->stage, mine.size(), "tasks");
    progress.skip(mine.size() - todo.size());
    std::atomic<std::uint64_t> documents{0}, kept{0};
    auto start = std::chrono::steady_clock::now();
    std::atomic<std::size_t> finished{0};
    parallel_for(todo.size(), workers, [&](std::size_t i) {
      std::size_t index = todo[i];
      std::string name = task_name(index);
      DataStats stats;
      try {
        stats = run_data_task(*pipeline_, shards[index], {context.dir, name});
      } catch (const std::exception& e) {
        throw Error(
            cat(pipeline_->stage, " task ", name, " (shard '", shards[index], "'): ", e.what()));
      }
      nlohmann::json record{{"task", name}, {"shard", shards[index]}, {"stats", stats.to_json()}};
      write_file_atomic(marker(tasks_dir, index), record.dump(1) + "\n");
      documents += stats.read.kept;
      kept += stats.write.in;
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      context.metrics->write({{"step", ++finished},
                              {"task", name},
                              {"documents", stats.read.kept},
                              {"kept", stats.write.in},
                              {"task_seconds", stats.seconds},
                              {"elapsed_s", elapsed},
                              {"docs_per_s", elapsed > 0 ? documents / elapsed : 0.0}});
      progress.set_status(cat(documents.load(), " docs, ", kept.load(), " kept"));
      progress.advance();
    });
    progress.finish();
    context.complete = write_totals(context.dir, tasks_dir, shards.size());
  }

 private:
  static fs::path marker(const fs::path& tasks_dir, std::size_t index) {
    return tasks_dir / (task_name(index) + ".done.json");
  }

  // stats.json sums every finished task's counts, whichever process or attempt ran it.
  // Returns whether every task of the run is done.
  bool write_totals(const fs::path& run_dir, const fs::path& tasks_dir, std::size_t count) const {
    DataStats total;
    std::size_t done = 0;
    for (std::size_t index = 0; index < count; ++index) {
      fs::path file = marker(tasks_dir, index);
      if (!fs::exists(file)) continue;
      total.add(DataStats::from_json(nlohmann::json::parse(read_file(file)).at("stats")));
      ++done;
    }
    nlohmann::json out = total.to_json();
    out["tasks"] = count;
    out["tasks_done"] = done;
    write_file_atomic(run_dir / "stats.json", out.dump(2) + "\n");
    log_info(pipeline_->stage, ": ", done, "/", count, " tasks done; per-step statistics:\n",
             total.summary());
    return done == count;
  }

  std::shared_ptr<DataPipeline> pipeline_;
  unsigned workers_;
};

}  // namespace

std::unique_ptr<StageJob> make_data_job(std::shared_ptr<DataPipeline> pipeline,
                                        const Config& recipe) {
  return std::make_unique<DataJob>(std::move(pipeline),
                                   static_cast<unsigned>(recipe.integer("workers")));
}

}  // namespace forge
