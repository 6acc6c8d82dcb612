#pragma once

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <string>

namespace forge {

// What a run ran on: forge version and commit, host, CPU, threads, GPUs, OS, command line.
FORGE_API nlohmann::json describe_environment(unsigned threads, const std::string& command);

}  // namespace forge
