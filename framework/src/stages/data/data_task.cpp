#include "stages/data/data_task.h"

#include <chrono>

namespace forge {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

DataStats run_data_task(const DataPipeline& pipeline, const std::string& shard,
                        const WriteTarget& target) {
  auto task_start = Clock::now();
  DataStats stats;
  stats.read.name = "read " + pipeline.input_name;
  stats.write.name = "write " + pipeline.output_name;
  stats.steps.resize(pipeline.steps.size());
  for (std::size_t i = 0; i < pipeline.steps.size(); ++i)
    stats.steps[i].name = pipeline.step_names[i];

  std::unique_ptr<DocumentWriter> writer = pipeline.output->open_writer(target);
  pipeline.input->read(shard, [&](Document&& document) {
    stats.read.in++;
    stats.read.kept++;
    stats.read.bytes_out += document.text.size();
    for (std::size_t i = 0; i < pipeline.steps.size(); ++i) {
      StepStats& step = stats.steps[i];
      auto start = Clock::now();
      step.in++;
      step.bytes_in += document.text.size();
      Verdict verdict = pipeline.steps[i]->apply(document);
      step.seconds += seconds_since(start);
      if (verdict.action == Verdict::Action::drop) {
        step.dropped[verdict.reason.empty() ? "unspecified" : verdict.reason]++;
        return true;
      }
      step.kept++;
      step.bytes_out += document.text.size();
      if (verdict.action == Verdict::Action::rewrite) step.rewritten++;
    }
    auto start = Clock::now();
    writer->write(document);
    stats.write.seconds += seconds_since(start);
    stats.write.in++;
    stats.write.kept++;
    stats.write.bytes_in += document.text.size();
    stats.write.bytes_out += document.text.size();
    return true;
  });
  writer->commit();
  stats.seconds = seconds_since(task_start);
  stats.read.seconds = stats.seconds - stats.write.seconds;
  for (const StepStats& step : stats.steps) stats.read.seconds -= step.seconds;
  return stats;
}

}  // namespace forge
