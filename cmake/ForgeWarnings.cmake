# Warnings every Forge target compiles with.
add_library(forge_warnings INTERFACE)
target_compile_options(forge_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>)
