#pragma once

// A pipeline's report.json ({"stages": [{name, stage, status, seconds, run_dir}, ...]}) as a
// table with a link to each stage's own report card.

#include <forge/export.h>

#include "report/results_view.h"

#include <nlohmann/json.hpp>

#include <string>

namespace forge {

// Whether `results` is a pipeline's table of stages.
FORGE_API bool is_pipeline_results(const nlohmann::json& results);

// The table; links are relative, since each stage runs in a folder of the pipeline's run.
FORGE_API std::string render_pipeline_stages(const nlohmann::json& results, Markup markup);

}  // namespace forge
