#pragma once

#include <filesystem>
#include <string>

namespace forge {

// report.md and report.json of an RLHF run from its metrics.jsonl: the held-out reward-model
// and judge scores, KL and reply length at every evaluation, and why it stopped early if it did.
void write_rlhf_report(const std::filesystem::path& run_dir, const std::string& stopped_early);

}  // namespace forge
