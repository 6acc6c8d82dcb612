#pragma once

#include <filesystem>
#include <string>

namespace forge {

// report.json of an RLHF run from its metrics.jsonl: the held-out reward-model and judge
// scores, KL and reply length at every evaluation, the best judge score, and why the run
// stopped early if it did. The run's report card (report.md and report.html) renders it.
void write_rlhf_report(const std::filesystem::path& run_dir, const std::string& stopped_early);

}  // namespace forge
