#pragma once

// A run's report card: recipe, environment, timing, throughput, metric charts, samples and
// evaluation results, as report.html (self-contained, SVG charts) and report.md.

#include <forge/export.h>

#include "runs/run_data.h"

#include <filesystem>
#include <string>

namespace forge {

FORGE_API std::string run_report_html(const RunData& run);
FORGE_API std::string run_report_markdown(const RunData& run);

// Writes report.html and report.md into the run directory (each atomically).
FORGE_API void write_run_report(const std::filesystem::path& run_dir);

}  // namespace forge
