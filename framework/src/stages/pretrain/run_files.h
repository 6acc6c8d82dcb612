#pragma once

// The per-step files of a training run beside metrics.jsonl: samples.jsonl, and cutting both
// back to a checkpoint's step when a run resumes, so no step is logged twice.

#include <cstdint>
#include <filesystem>
#include <string>

namespace forge {

void append_sample(const std::filesystem::path& run_dir, std::int64_t step,
                   const std::string& prompt, const std::string& text, const std::string& finish);

// Drops the records of metrics.jsonl and samples.jsonl whose step is past `step`, in place
// (the metrics writer appends to the same file).
void truncate_run_files(const std::filesystem::path& run_dir, std::int64_t step);

}  // namespace forge
