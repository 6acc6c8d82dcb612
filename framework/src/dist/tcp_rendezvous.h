#pragma once

// How ranks started without mpirun (RANK/WORLD_SIZE, as torchrun or a cluster's job operator
// sets them) find each other: rank 0 listens at MASTER_ADDR:MASTER_PORT and hands every other
// rank the same bytes, such as NCCL's unique id.

#include <forge/export.h>

#include <optional>
#include <string>

namespace forge {

struct EnvironmentWorld {
  int rank = 0, size = 1, local_rank = 0;
  std::string master_address = "127.0.0.1";
  int master_port = 29500;
};

// RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT; nullopt when WORLD_SIZE is unset.
// Inconsistent values are a forge::Error naming the variable.
FORGE_API std::optional<EnvironmentWorld> environment_world();

// Rank 0 sends `blob` to the size - 1 other ranks and returns it; the others connect (retrying
// until rank 0 listens) and return what it sent. Gives up after `timeout_s` seconds.
FORGE_API std::string share_over_tcp(const std::string& blob, const EnvironmentWorld& world,
                                     double timeout_s = 300);

}  // namespace forge
