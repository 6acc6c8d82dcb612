#include "stages/data/task_split.h"

#include <forge/error.h>

#include <cstdlib>
#include <string>
#include <utility>

namespace forge {
namespace {

std::size_t read_count(const char* variable, const char* text) {
  try {
    std::size_t used = 0;
    long long value = std::stoll(text, &used);
    if (used == std::string(text).size() && value >= 0) return static_cast<std::size_t>(value);
  } catch (const std::exception&) {
  }
  throw Error(cat("environment variable ", variable, "='", text,
                  "' is not a whole number; fix or unset it"));
}

}  // namespace

std::vector<std::size_t> TaskSplit::select(std::size_t task_count) const {
  std::vector<std::size_t> out;
  for (std::size_t i = rank; i < task_count; i += world_size) out.push_back(i);
  return out;
}

std::string TaskSplit::describe() const {
  if (world_size == 1) return "";
  return cat(" (rank ", rank, " of ", world_size, ")");
}

TaskSplit task_split_from_environment() {
  static const std::pair<const char*, const char*> kSources[] = {
      {"FORGE_RANK", "FORGE_WORLD_SIZE"},
      {"RANK", "WORLD_SIZE"},
      {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
      {"SLURM_PROCID", "SLURM_NTASKS"}};
  for (const auto& [rank_name, size_name] : kSources) {
    const char* rank = std::getenv(rank_name);
    const char* size = std::getenv(size_name);
    if (!rank || !size) continue;
    TaskSplit split{read_count(rank_name, rank), read_count(size_name, size)};
    if (split.world_size == 0 || split.rank >= split.world_size)
      throw Error(cat(rank_name, "=", split.rank, " is not below ", size_name, "=",
                      split.world_size, "; fix the launcher's settings"));
    return split;
  }
  return {};
}

}  // namespace forge
