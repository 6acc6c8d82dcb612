# ctest's format check: every C++/CUDA source must already be as .clang-format writes it.
find_program(CLANG_FORMAT NAMES clang-format clang-format-14 clang-format-15 clang-format-16)
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "clang-format not found; install Debian's clang-format package")
endif()
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/framework/*.h ${SOURCE_DIR}/framework/*.cpp ${SOURCE_DIR}/framework/*.cu
  ${SOURCE_DIR}/framework/*.cuh ${SOURCE_DIR}/kernels/*.h ${SOURCE_DIR}/kernels/*.cpp
  ${SOURCE_DIR}/kernels/*.cu ${SOURCE_DIR}/kernels/*.cuh ${SOURCE_DIR}/plugins/*.h
  ${SOURCE_DIR}/plugins/*.cpp ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/tests/*.cpp
  ${SOURCE_DIR}/docs/examples/*.cpp ${SOURCE_DIR}/docs/examples/*.h)
set(bad "")
foreach(file ${sources})
  execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${file}
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    list(APPEND bad ${file})
  endif()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "clang-format would change these files (run scripts/format.sh):\n  ${bad}")
endif()
list(LENGTH sources count)
message(STATUS "format check: ${count} files formatted")
