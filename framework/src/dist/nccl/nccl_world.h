#pragma once

#include "dist/communicator.h"

namespace forge {

// The communicator for tensors on CUDA devices: NCCL, one rank per GPU (the rank's local rank
// picks the device). Its unique id travels over the MPI world when mpirun or srun started the
// run, else over TCP from RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT; a process alone is a world of
// one. CPU tensors given to it are staged through the device. Made on first use; in a build
// without CUDA and NCCL it throws, saying so.
FORGE_API Communicator& nccl_world();

// Whether this build has the NCCL communicator.
FORGE_API bool nccl_built();

}  // namespace forge
