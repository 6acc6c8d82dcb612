# forge_add_plugin(NAME SOURCES src... [LIBRARIES lib...])
# Builds a plugin library loadable by the `forge` host: a module linked to the Forge SDK, named
# forge-NAME.so, with hidden symbols but the entry points FORGE_PLUGIN_LIBRARY exports.
function(forge_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "forge_add_plugin(${name}): give the plugin's SOURCES")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Forge::forge ${ARG_LIBRARIES})
  set_target_properties(${name} PROPERTIES
    PREFIX "" OUTPUT_NAME "forge-${name}"
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED FORGE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${FORGE_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT DEFINED FORGE_PLUGIN_INSTALL_DIR)
    set(FORGE_PLUGIN_INSTALL_DIR lib/forge/plugins)
  endif()
  install(TARGETS ${name} LIBRARY DESTINATION ${FORGE_PLUGIN_INSTALL_DIR})
  set_property(GLOBAL APPEND PROPERTY FORGE_PLUGIN_TARGETS ${name})
endfunction()
