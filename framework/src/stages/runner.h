#pragma once

#include <forge/error.h>
#include <forge/export.h>

#include "stages/resolve.h"

#include <filesystem>
#include <optional>
#include <string>

namespace forge {

// A failure while a stage works (exit code 1), as opposed to bad input found before (exit 2).
class FORGE_API RunFailure : public Error {
 public:
  using Error::Error;
};

struct RunOptions {
  std::optional<std::filesystem::path> run_dir;
  bool overwrite = false;
  bool dry_run = false;
  std::string command;  // the command line, kept in env.json
  // Whether runs/NAME/latest points at the new run; a pipeline's stages leave it alone.
  bool update_latest = true;
};

// Prepares the stage (every plugin made, nothing started), then creates the run directory and
// runs it. Returns the run directory (empty for a dry run).
FORGE_API std::filesystem::path run_recipe(ResolvedRecipe& recipe, Registry& plugins,
                                           const RunOptions& options);

// Continues the run in `run_dir` from its own recipe.yaml.
FORGE_API void resume_run(const std::filesystem::path& run_dir, Registry& plugins,
                          const std::string& command);

// Sends the log to the run's log.txt (log.rank-N.txt for ranks other than 0), appending.
FORGE_API void open_run_log(const std::filesystem::path& run_dir);

}  // namespace forge
