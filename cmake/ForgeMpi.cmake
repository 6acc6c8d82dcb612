# FORGE_MPI=AUTO builds the MPI communicator when an MPI library is found (Debian's Open MPI);
# ON makes its absence an error. Without it, a run launched by mpirun or srun is refused.
set(FORGE_MPI AUTO CACHE STRING "Build the MPI communicator: AUTO (when MPI is found), ON or OFF")
set_property(CACHE FORGE_MPI PROPERTY STRINGS AUTO ON OFF)
set(FORGE_WITH_MPI OFF)
if(FORGE_MPI STREQUAL "ON" OR FORGE_MPI STREQUAL "AUTO")
  find_package(MPI COMPONENTS C QUIET)
  if(MPI_C_FOUND)
    set(FORGE_WITH_MPI ON)
    find_program(FORGE_MPIEXEC NAMES mpirun mpiexec HINTS ${MPI_C_COMPILER_DIR})
  elseif(FORGE_MPI STREQUAL "ON")
    message(FATAL_ERROR "FORGE_MPI=ON but no MPI library was found; install libopenmpi-dev "
                        "openmpi-bin, or configure with -DFORGE_MPI=OFF")
  endif()
elseif(NOT FORGE_MPI STREQUAL "OFF")
  message(FATAL_ERROR "FORGE_MPI must be AUTO, ON or OFF, not '${FORGE_MPI}'")
endif()
message(STATUS "Forge: MPI ${FORGE_WITH_MPI}")
