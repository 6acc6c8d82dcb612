#pragma once

// Runs commands as child processes, a few at a time, and stops them all on SIGINT or SIGTERM.

#include <forge/export.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace forge {

struct ChildCommand {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::filesystem::path output;   // receives the child's stdout and stderr
};

struct ChildPoolOptions {
  int parallel = 1;
  std::vector<std::string> environment;  // NAME=value added to (or replacing in) this one's
  std::function<void(std::size_t index)> started;
  std::function<void(std::size_t index, int exit_code)> finished;  // 128+N: killed by signal N
};

// Runs every command, `parallel` at once, in order. Returns 0 once all have finished, or the
// signal (SIGINT, SIGTERM) that stopped the pool: the running children were then sent SIGTERM
// and waited for, and the commands not yet started were skipped. A child also gets SIGTERM
// when this process dies, so none outlives it.
FORGE_API int run_children(const std::vector<ChildCommand>& commands,
                           const ChildPoolOptions& options);

// This executable's path, for running more of itself.
FORGE_API std::string current_executable();

}  // namespace forge
