#pragma once

// report.json of an RL run, from its metrics.jsonl: held-out pass@1 before and after, and the
// curves of pass@1, reward and response length per step. The run's report card (report.md and
// report.html, written when every run ends) renders it as tables.

#include <filesystem>

namespace forge {

void write_rl_report(const std::filesystem::path& run_dir);

}  // namespace forge
