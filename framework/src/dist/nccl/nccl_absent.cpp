#include <forge/error.h>

#include "dist/nccl/nccl_world.h"

namespace forge {

Communicator& nccl_world() {
  throw Error(
      "data parallelism on GPUs needs NCCL, and this build of forge has none: build it on a "
      "machine with the CUDA Toolkit and NCCL (nccl.h, libnccl)");
}

bool nccl_built() { return false; }

}  // namespace forge
