# The SDK: headers, libforge, the host, in-tree plugins and a CMake package for
# find_package(Forge) + forge_add_plugin() in out-of-tree plugins.
include(CMakePackageConfigHelpers)

install(TARGETS forge_sdk EXPORT ForgeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS forge_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY framework/include/forge DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/forge/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/forge)

set(FORGE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Forge)
install(EXPORT ForgeTargets NAMESPACE Forge:: DESTINATION ${FORGE_CMAKE_DIR})
configure_package_config_file(cmake/ForgeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ForgeConfig.cmake INSTALL_DESTINATION ${FORGE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ForgeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ForgeConfig.cmake
  ${PROJECT_BINARY_DIR}/ForgeConfigVersion.cmake cmake/ForgePlugin.cmake
  DESTINATION ${FORGE_CMAKE_DIR})
