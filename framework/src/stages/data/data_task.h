#pragma once

#include <forge/dataset.h>
#include <forge/filter.h>
#include <forge/global_filter.h>

#include "stages/data/data_stats.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// The plugins of a data recipe, made once and shared by every task.
struct DataPipeline {
  std::unique_ptr<Dataset> input;
  std::vector<std::unique_ptr<Filter>> steps;
  std::vector<std::string> step_names;
  std::unique_ptr<Dataset> output;
  std::unique_ptr<Dataset> exclusions;  // keeps dropped documents with their reason; may be null
  std::string input_name, output_name;
  std::vector<std::string> shards;  // listed while preparing, so bad input fails before work
  std::string stage = "data";       // the stage running it, for log lines
};

// A run of steps between global steps. Segment 0 reads the input; a later one reads the
// documents that reached the global step before it and first applies that step's decisions.
// A segment that ends at a global step keeps its documents and their signatures for it; the
// last one writes the output.
struct Segment {
  std::size_t index = 0;
  std::size_t first_step = 0, end_step = 0;  // ordinary steps [first_step, end_step)
  const GlobalFilter* applies = nullptr;     // steps[first_step - 1], whose decisions come first
  const GlobalFilter* ends_at = nullptr;     // steps[end_step], or null for the last segment
};

std::vector<Segment> split_segments(const DataPipeline& pipeline);

// What one task of a segment reads and writes besides the pipeline's datasets.
struct SegmentTask {
  std::size_t shard = 0;                    // the task's index: its shard in segment 0
  std::string name;                         // "00007"
  std::filesystem::path run_dir;            // outputs with relative paths go inside
  std::filesystem::path pass_in, pass_out;  // pass folders of the global steps around it
  const std::vector<bool>* decisions = nullptr;
  std::uint64_t first_document = 0;  // this task's first document in the decisions' order
};

struct SegmentResult {
  DataStats stats;
  std::uint64_t passed = 0;  // documents kept for the global step the segment ends at
};

// Runs one task of a segment; its outputs are committed only when the whole task went through.
SegmentResult run_segment_task(const DataPipeline& pipeline, const Segment& segment,
                               const SegmentTask& task);

}  // namespace forge
