#include "io/environment.h"

#include "blas.h"

#include <forge/version.h>

#include "backend/devices.h"
#include "core/build_info.h"
#include "io/run_dir.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace forge {
namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

}  // namespace

nlohmann::json describe_environment(unsigned threads, const std::string& command) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  utsname system{};
  ::uname(&system);
  nlohmann::json gpus = nlohmann::json::array();
  for (const GpuInfo& gpu : visible_gpus())
    gpus.push_back({{"index", gpu.index},
                    {"name", gpu.name},
                    {"memory_bytes", gpu.memory_bytes},
                    {"compute_capability",
                     std::to_string(gpu.compute_major) + "." + std::to_string(gpu.compute_minor)}});
  std::string commit = build_git_commit();
  return {{"forge_version", kVersion},
          {"plugin_api_version", kPluginApiVersion},
          {"git_commit", commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(commit)},
          {"host", host},
          {"os", std::string(system.sysname) + " " + system.release + " " + system.machine},
          {"cpu", cpu_model()},
          {"cpu_threads", std::thread::hardware_concurrency()},
          {"threads", threads},
          {"blas", cpu::blas_description()},
          {"gpus", gpus},
          {"command", command},
          {"started", utc_timestamp()}};
}

}  // namespace forge
