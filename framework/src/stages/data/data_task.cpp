#include "stages/data/data_task.h"

#include "stages/data/passes.h"

#include <chrono>

namespace forge {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Keeps a dropped document, marked with the step and the reason, when the run asks for it.
void exclude(DocumentWriter* writer, Document& document, const std::string& step,
             const std::string& reason) {
  if (!writer) return;
  document.metadata["excluded"] = {{"step", step}, {"reason", reason}};
  writer->write(document);
}

}  // namespace

std::vector<Segment> split_segments(const DataPipeline& pipeline) {
  std::vector<Segment> out;
  Segment current;
  for (std::size_t i = 0; i < pipeline.steps.size(); ++i) {
    auto* global = dynamic_cast<const GlobalFilter*>(pipeline.steps[i].get());
    if (!global) continue;
    current.end_step = i;
    current.ends_at = global;
    out.push_back(current);
    current = Segment{out.size(), i + 1, i + 1, global, nullptr};
  }
  current.end_step = pipeline.steps.size();
  out.push_back(current);
  return out;
}

SegmentResult run_segment_task(const DataPipeline& pipeline, const Segment& segment,
                               const SegmentTask& task) {
  const auto task_start = Clock::now();
  SegmentResult result;
  DataStats& stats = result.stats;
  stats.read.name = "read " + pipeline.input_name;
  stats.write.name = "write " + pipeline.output_name;
  stats.steps.resize(pipeline.steps.size());
  for (std::size_t i = 0; i < pipeline.steps.size(); ++i)
    stats.steps[i].name = pipeline.step_names[i];
  const bool last = segment.ends_at == nullptr;
  const std::string prefix = segment.index == 0 ? "" : cat("pass", segment.index, "-");
  const WriteTarget target{task.run_dir, prefix + task.name};
  std::unique_ptr<DocumentWriter> writer =
      last ? pipeline.output->open_writer(WriteTarget{task.run_dir, task.name}) : nullptr;
  std::unique_ptr<DocumentWriter> excluded =
      pipeline.exclusions ? pipeline.exclusions->open_writer(target) : nullptr;
  std::unique_ptr<PassWriter> pass;
  std::vector<std::uint8_t> signature;
  if (segment.ends_at) {
    pass =
        std::make_unique<PassWriter>(task.pass_out, task.name, segment.ends_at->signature_bytes());
    signature.resize(segment.ends_at->signature_bytes());
  }

  std::uint64_t position = task.first_document;
  auto process = [&](Document&& document) {
    if (segment.applies) {  // the global step before this segment decided already
      StepStats& step = stats.steps[segment.first_step - 1];
      const bool drop = (*task.decisions)[position++];
      if (drop) {
        const std::string reason = segment.applies->drop_reason();
        step.dropped[reason]++;
        exclude(excluded.get(), document, pipeline.step_names[segment.first_step - 1], reason);
        return true;
      }
      step.kept++;
      step.bytes_out += document.text.size();
    }
    for (std::size_t i = segment.first_step; i < segment.end_step; ++i) {
      StepStats& step = stats.steps[i];
      const auto start = Clock::now();
      step.in++;
      step.bytes_in += document.text.size();
      Verdict verdict = pipeline.steps[i]->apply(document);
      step.seconds += seconds_since(start);
      if (verdict.action == Verdict::Action::drop) {
        const std::string reason = verdict.reason.empty() ? "unspecified" : verdict.reason;
        step.dropped[reason]++;
        exclude(excluded.get(), document, pipeline.step_names[i], reason);
        return true;
      }
      step.kept++;
      step.bytes_out += document.text.size();
      if (verdict.action == Verdict::Action::rewrite) step.rewritten++;
    }
    const auto start = Clock::now();
    if (segment.ends_at) {
      StepStats& step = stats.steps[segment.end_step];
      step.in++;
      step.bytes_in += document.text.size();
      segment.ends_at->signature(document, signature.data());
      pass->write(document, signature.data());
      step.seconds += seconds_since(start);
      return true;
    }
    writer->write(document);
    stats.write.seconds += seconds_since(start);
    stats.write.in++;
    stats.write.kept++;
    stats.write.bytes_in += document.text.size();
    stats.write.bytes_out += document.text.size();
    return true;
  };

  if (segment.index == 0) {
    pipeline.input->read(pipeline.shards[task.shard], [&](Document&& document) {
      stats.read.in++;
      stats.read.kept++;
      stats.read.bytes_out += document.text.size();
      return process(std::move(document));
    });
  } else {
    read_pass_documents(task.pass_in, task.name,
                        [&](Document&& document) { process(std::move(document)); });
  }
  if (pass) {
    result.passed = pass->count();
    pass->commit();
  }
  if (writer) writer->commit();
  if (excluded) excluded->commit();
  stats.seconds = seconds_since(task_start);
  if (segment.index == 0) {
    stats.read.seconds = stats.seconds - stats.write.seconds;
    for (const StepStats& step : stats.steps) stats.read.seconds -= step.seconds;
  }
  return result;
}

}  // namespace forge
