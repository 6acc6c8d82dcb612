#pragma once

// A sweep's folder: sweep.json (the plan), one run directory per planned run, logs/ (each
// run's output) and summary.tsv / summary.md (overrides -> status, final and best metric).

#include <forge/export.h>

#include "sweep/sweep_plan.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace forge {

// Writes sweep.json, or checks that the one there plans the same runs of the same recipe with
// the same shared overrides; a different plan is refused, saying how to proceed.
FORGE_API void claim_sweep_folder(const std::filesystem::path& folder, const nlohmann::json& plan);

// run.json's status of a planned run: "complete", "failed", "running", ..., or "pending".
FORGE_API std::string planned_run_status(const std::filesystem::path& folder,
                                         const PlannedRun& run);

// Rewrites summary.tsv and summary.md from the run directories. An empty `metric` picks the
// first finished run's default metric. Returns the metric used.
FORGE_API std::string write_sweep_summary(const std::filesystem::path& folder,
                                          const std::vector<PlannedRun>& runs,
                                          const std::string& metric);

}  // namespace forge
