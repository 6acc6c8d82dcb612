#pragma once

// A parallel-coordinates view of a sweep: one vertical axis per hyperparameter that differs
// between the runs, one for the metric, and a line per run through its values.

#include <forge/export.h>

#include <string>
#include <vector>

namespace forge {

struct ParallelAxis {
  std::string name;
  std::vector<std::string> values;  // one per run; "" where the run lacks the key
};

// Lines use series_color(run index), as the line charts do. Runs whose metric is missing
// are drawn without the last segment. `metric_values` has one entry per run (NaN: none).
FORGE_API std::string render_parallel_chart(const std::vector<ParallelAxis>& axes,
                                            const std::string& metric,
                                            const std::vector<double>& metric_values,
                                            const std::vector<std::string>& run_labels);

}  // namespace forge
