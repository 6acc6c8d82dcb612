#include <forge/error.h>

#include "dist/mpi/mpi_world.h"

namespace forge {

Communicator& mpi_world() {
  throw Error(
      "this process was started by mpirun or srun, but this build of forge has no MPI: install "
      "Open MPI (apt-get install libopenmpi-dev openmpi-bin) and build again, or start one "
      "process without the launcher");
}

}  // namespace forge
