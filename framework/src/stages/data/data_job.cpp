#include "stages/data/data_job.h"

#include <forge/files.h>
#include <forge/log.h>
#include <forge/parallel.h>
#include <forge/progress.h>

#include "stages/data/passes.h"
#include "stages/data/task_split.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

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

// Waits until every task of a pass has its marker: other processes run their share.
void wait_for_markers(const std::vector<fs::path>& markers, const std::string& what) {
  auto last_note = std::chrono::steady_clock::now();
  for (;;) {
    std::size_t missing = 0;
    for (const fs::path& marker : markers) missing += !fs::exists(marker);
    if (!missing) return;
    if (std::chrono::steady_clock::now() - last_note > std::chrono::seconds(30)) {
      log_info(what, ": waiting for ", missing, " task(s) that other processes run");
      last_note = std::chrono::steady_clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

class DataJob : public StageJob {
 public:
  DataJob(std::shared_ptr<DataPipeline> pipeline, unsigned workers)
      : pipeline_(std::move(pipeline)), workers_(workers) {}

  void run(RunContext& context) override {
    const std::vector<std::string>& shards = pipeline_->shards;
    tasks_dir_ = context.dir / "tasks";
    fs::create_directories(tasks_dir_);
    check_shards(tasks_dir_, shards);
    split_ = task_split_from_environment();
    const std::vector<Segment> segments = split_segments(*pipeline_);
    std::vector<bool> decisions;
    std::vector<std::uint64_t> offsets(shards.size(), 0);
    for (const Segment& segment : segments) {
      run_segment(context, segment, decisions, offsets);
      if (!segment.ends_at) break;
      // Every process needs every task of this pass before the global step can decide.
      std::vector<fs::path> all;
      for (std::size_t i = 0; i < shards.size(); ++i) all.push_back(marker(segment.index, i));
      wait_for_markers(all, pipeline_->stage);
      std::uint64_t total = 0;
      for (std::size_t i = 0; i < shards.size(); ++i) {
        offsets[i] = total;
        total += nlohmann::json::parse(read_file(all[i])).value("passed", std::uint64_t{0});
      }
      decisions = decide(context, segment, total);
    }
    context.complete = write_totals(context.dir, segments, shards.size());
    // The documents kept between passes are only needed until every task of the run is done.
    if (context.complete && segments.size() > 1) {
      std::error_code ignored;
      fs::remove_all(context.dir / "passes", ignored);
    }
  }

 private:
  fs::path marker(std::size_t segment, std::size_t index) const {
    fs::path dir = segment == 0 ? tasks_dir_ : tasks_dir_ / cat("pass-", segment);
    return dir / (task_name(index) + ".done.json");
  }
  fs::path pass_dir(const fs::path& run_dir, std::size_t segment) const {
    return run_dir / "passes" / cat("pass-", segment + 1);
  }

  void run_segment(RunContext& context, const Segment& segment, const std::vector<bool>& decisions,
                   const std::vector<std::uint64_t>& offsets) {
    const std::vector<std::string>& shards = pipeline_->shards;
    fs::create_directories(marker(segment.index, 0).parent_path());
    std::vector<std::size_t> mine = split_.select(shards.size());
    std::vector<std::size_t> todo;
    for (std::size_t index : mine)
      if (!fs::exists(marker(segment.index, index))) todo.push_back(index);
    const unsigned workers = workers_ ? workers_ : context.threads;
    const std::string label =
        segment.index == 0 ? pipeline_->stage : cat(pipeline_->stage, " pass ", segment.index + 1);
    log_info(label, ": ", shards.size(), " tasks", split_.describe(), ", ",
             mine.size() - todo.size(), " already done, ", todo.size(), " to run on ", workers,
             " workers");
    Progress progress(label, mine.size(), "tasks");
    progress.skip(mine.size() - todo.size());
    std::atomic<std::uint64_t> documents{0}, kept{0};
    auto start = std::chrono::steady_clock::now();
    std::atomic<std::size_t> finished{0};
    parallel_for(todo.size(), workers, [&](std::size_t i) {
      const std::size_t index = todo[i];
      SegmentTask task;
      task.shard = index;
      task.name = task_name(index);
      task.run_dir = context.dir;
      if (segment.applies) task.pass_in = pass_dir(context.dir, segment.index - 1);
      if (segment.ends_at) task.pass_out = pass_dir(context.dir, segment.index);
      task.decisions = &decisions;
      task.first_document = offsets[index];
      SegmentResult result;
      try {
        result = run_segment_task(*pipeline_, segment, task);
      } catch (const std::exception& e) {
        throw Error(cat(label, " task ", task.name, " (shard '", shards[index], "'): ", e.what()));
      }
      const DataStats& stats = result.stats;
      nlohmann::json record{{"task", task.name},
                            {"shard", shards[index]},
                            {"passed", result.passed},
                            {"stats", stats.to_json()}};
      write_file_atomic(marker(segment.index, index), record.dump(1) + "\n");
      // Documents this task read: the shard's, or those the previous pass kept for its step.
      const StepStats* applied = segment.applies ? &stats.steps[segment.first_step - 1] : nullptr;
      const std::uint64_t read =
          applied ? applied->kept + applied->dropped_total() : stats.read.kept;
      const std::uint64_t out = segment.ends_at ? result.passed : stats.write.in;
      documents += read;
      kept += out;
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      context.metrics->write({{"step", ++finished},
                              {"pass", segment.index + 1},
                              {"task", task.name},
                              {"documents", read},
                              {"kept", out},
                              {"task_seconds", stats.seconds},
                              {"elapsed_s", elapsed},
                              {"docs_per_s", elapsed > 0 ? documents / elapsed : 0.0}});
      progress.set_status(cat(documents.load(), " docs, ", kept.load(), " kept"));
      progress.advance();
    });
    progress.finish();
  }

  // The global step's decisions over the whole dataset: computed once and saved, so that a
  // resumed run (or another process) reads the same ones.
  std::vector<bool> decide(RunContext& context, const Segment& segment, std::uint64_t total) {
    const fs::path file = pass_dir(context.dir, segment.index) / "decisions.bin";
    if (fs::exists(file)) {
      std::vector<bool> saved = read_decisions(file);
      if (saved.size() == total) return saved;
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::uint8_t> signatures;
    signatures.reserve(total * segment.ends_at->signature_bytes());
    for (std::size_t i = 0; i < pipeline_->shards.size(); ++i)
      append_signatures(pass_dir(context.dir, segment.index), task_name(i), signatures);
    std::vector<bool> drop = segment.ends_at->decide(signatures, total, context.threads);
    FORGE_CHECK(drop.size() == total, "a global step decided ", drop.size(), " of ", total,
                " documents");
    write_decisions(file, drop);
    std::uint64_t dropped = 0;
    for (bool d : drop) dropped += d;
    log_info(pipeline_->step_names[segment.end_step], ": ", dropped, " of ", total,
             " documents dropped (", segment.ends_at->drop_reason(), ") in ",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), " s");
    return drop;
  }

  // stats.json sums every finished task's counts over every pass, whichever process or attempt
  // ran it. Returns whether every task of the run is done.
  bool write_totals(const fs::path& run_dir, const std::vector<Segment>& segments,
                    std::size_t count) const {
    DataStats total;
    std::size_t done = 0;
    for (std::size_t index = 0; index < count; ++index) {
      bool finished = true;
      for (const Segment& segment : segments) {
        fs::path file = marker(segment.index, index);
        if (!fs::exists(file)) {
          finished = false;
          continue;
        }
        total.add(DataStats::from_json(nlohmann::json::parse(read_file(file)).at("stats")));
      }
      done += finished;
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
  fs::path tasks_dir_;
  TaskSplit split_;
};

}  // namespace

std::unique_ptr<StageJob> make_data_job(std::shared_ptr<DataPipeline> pipeline,
                                        const Config& recipe) {
  return std::make_unique<DataJob>(std::move(pipeline),
                                   static_cast<unsigned>(recipe.integer("workers")));
}

}  // namespace forge
