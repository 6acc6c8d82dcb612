#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace forge {

// This process's share of a run's tasks when several processes run one recipe: task i belongs
// to rank i % world_size.
struct TaskSplit {
  std::size_t rank = 0, world_size = 1;

  std::vector<std::size_t> select(std::size_t task_count) const;
  std::string describe() const;  // "" for one process, else " (rank 1 of 4)"
};

// From FORGE_RANK/FORGE_WORLD_SIZE, RANK/WORLD_SIZE, OMPI_COMM_WORLD_* or SLURM_PROCID/NTASKS.
TaskSplit task_split_from_environment();

}  // namespace forge
