#pragma once

#include "dist/communicator.h"

namespace forge {

// MPI_COMM_WORLD, initialised on first use and finalised when the process exits. In a build
// without MPI it throws, saying how to get it.
Communicator& mpi_world();

}  // namespace forge
