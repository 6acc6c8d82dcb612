#pragma once

// Finding the runs under a folder, for `forge runs` and for comparing a whole sweep.

#include <forge/export.h>

#include <filesystem>
#include <vector>

namespace forge {

// Every run directory at or below `root`, in path order. `latest` links and the insides of
// runs (checkpoints/) are not followed, so each run is found once.
FORGE_API std::vector<std::filesystem::path> find_runs(const std::filesystem::path& root);

// The runs that `targets` name: a run directory stands for itself, any other folder (a sweep,
// runs/NAME) for the runs below it. Throws naming a target that holds no run.
FORGE_API std::vector<std::filesystem::path> expand_run_targets(
    const std::vector<std::filesystem::path>& targets);

}  // namespace forge
