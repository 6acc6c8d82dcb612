#pragma once

#include <forge/dataset.h>
#include <forge/filter.h>

#include "stages/data/data_stats.h"

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
  std::string input_name, output_name;
  std::vector<std::string> shards;  // listed while preparing, so bad input fails before work
  std::string stage = "data";       // the stage running it, for log lines
};

// Reads one shard through every step into the output; the output is committed only when the
// whole shard went through.
DataStats run_data_task(const DataPipeline& pipeline, const std::string& shard,
                        const WriteTarget& target);

}  // namespace forge
