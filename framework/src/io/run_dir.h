#pragma once

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace forge {

// Where runs go when no --run-dir is given: FORGE_RUNS_DIR, else "runs" in the working folder.
FORGE_API std::filesystem::path runs_root();

// A new run's folder: `requested` when given, else runs_root()/NAME/YYYYmmdd-HHMMSS. An
// existing run there is refused unless `overwrite`, which empties the folder first.
FORGE_API std::filesystem::path create_run_dir(
    const std::string& name, const std::optional<std::filesystem::path>& requested, bool overwrite);

// Points runs_root()/NAME/latest at `run_dir` (a symlink, replaced atomically).
FORGE_API void update_latest_link(const std::string& name, const std::filesystem::path& run_dir);

// run.json: name, stage, status (running, complete, failed), start and end times.
FORGE_API void write_run_status(const std::filesystem::path& run_dir, const nlohmann::json& status);
FORGE_API nlohmann::json read_run_status(const std::filesystem::path& run_dir);

// The current time as "2026-11-25T06:09:00Z".
FORGE_API std::string utc_timestamp();

}  // namespace forge
