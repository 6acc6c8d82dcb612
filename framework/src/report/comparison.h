#pragma once

// Several runs side by side: the recipe keys in which they differ and their metrics, as a
// terminal table and as a self-contained HTML page (overlaid curves, parallel coordinates).

#include <forge/export.h>

#include "runs/recipe_keys.h"
#include "runs/run_data.h"

#include <filesystem>
#include <string>
#include <vector>

namespace forge {

struct Comparison {
  std::vector<RunData> runs;
  std::vector<std::string> labels;  // each run's path below the folder all of them share
  std::vector<FlatRecipe> recipes;
  std::vector<std::string> keys;  // the recipe keys that differ
  std::string metric;
};

// Loads the runs; an empty `metric` picks default_metric() of the first run. Throws for a run
// without metrics.jsonl or a metric no run has.
FORGE_API Comparison compare_runs(const std::vector<std::filesystem::path>& dirs,
                                  const std::string& metric);

// Header and rows: run, the differing keys, status, final and best metric (and its step).
FORGE_API std::vector<std::vector<std::string>> comparison_rows(const Comparison& comparison,
                                                                std::vector<std::string>& header);

FORGE_API std::string comparison_html(const Comparison& comparison);

}  // namespace forge
