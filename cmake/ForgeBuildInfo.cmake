# Writes the build's commit into build_info.cpp, run at every build (cmake -P) so that an
# incremental build after a commit names that commit; the file is rewritten only on change.
#   cmake -DSOURCE_DIR=... -DINPUT=build_info.cpp.in -DOUTPUT=build_info.cpp -P ForgeBuildInfo.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE FORGE_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
configure_file(${INPUT} ${OUTPUT} @ONLY)
