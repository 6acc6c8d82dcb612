#pragma once

// `forge sweep`: plans the runs, validates every one, then runs those not yet complete as
// child `forge run` processes, a few at a time, keeping the sweep folder's summary current.

#include <forge/export.h>

#include "plugin/registry.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace forge {

struct SweepOptions {
  std::filesystem::path recipe;
  std::vector<std::string> overrides;           // key=a,b,c axes and shared key=value / ~key
  std::optional<std::filesystem::path> folder;  // default runs/NAME/sweep-KEYS
  std::size_t random = 0;                       // 0: the whole grid
  std::uint64_t random_seed = 0;
  int seeds = 0;  // repeat each combination with seed=1..seeds
  int jobs = 1;
  std::string metric;  // for the summary; empty: val_loss, else loss, ...
  bool dry_run = false;
  std::string executable;  // the forge to run; empty: this one
};

struct SweepResult {
  std::filesystem::path folder;
  std::size_t planned = 0, skipped = 0, complete = 0, failed = 0;
  int signal = 0;  // SIGINT or SIGTERM when the sweep was stopped
};

FORGE_API SweepResult run_sweep(const SweepOptions& options, Registry& plugins);

}  // namespace forge
