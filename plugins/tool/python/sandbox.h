#pragma once

// Runs a program in a confined child process with CPU, memory, file-size, wall-clock and
// output limits, in its own process group so that everything it starts dies with it.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace forge::sandbox {

struct Limits {
  double wall_seconds = 5;
  double cpu_seconds = 5;
  std::size_t memory_bytes = 512u << 20;  // address space
  std::size_t file_bytes = 16u << 20;     // largest file it may write
  std::size_t output_bytes = 4000;        // stdout and stderr together, kept at most
};

struct Outcome {
  std::string output;           // at most Limits::output_bytes of stdout and stderr
  std::size_t output_seen = 0;  // bytes it wrote in all
  int exit_code = -1;           // when it exited
  int signal = 0;               // when a signal ended it
  bool wall_timeout = false;    // killed at the wall-clock limit
  double cpu_seconds = 0;
};

// Runs `argv` (argv[0] a path) in `workdir` with `env` ("NAME=value"), confined (see
// confine.h). Throws forge::Error when the child cannot be started or confined.
Outcome run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::filesystem::path& workdir, const Limits& limits);

}  // namespace forge::sandbox
