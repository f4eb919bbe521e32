# `cmake --install`: libaccel with its C header and the uapi header, pkg-config and CMake
# package files, accelctl, the board overlays the emulator opens by name, the udev rule, and
# the driver's sources for DKMS (/usr/src/zaccel-VERSION, as dkms expects).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS accel EXPORT accelTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES libaccel/include/accel/accel.h uapi/zaccel_drm.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/accel)
install(EXPORT accelTargets NAMESPACE accel:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/accel)
configure_package_config_file(cmake/accelConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/accelConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/accel)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/accelConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/accelConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/accelConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/accel)
configure_file(cmake/accel.pc.in ${CMAKE_CURRENT_BINARY_DIR}/accel.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/accel.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS accelctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${ZACCEL_DTBOS} DESTINATION ${CMAKE_INSTALL_DATADIR}/zaccel)
install(FILES driver/60-zaccel.rules DESTINATION lib/udev/rules.d)

# The driver is versioned apart from libaccel: its DKMS package version is dkms.conf's.
file(STRINGS driver/dkms.conf ZACCEL_DRIVER_VERSION REGEX "^PACKAGE_VERSION=")
string(REGEX REPLACE "^PACKAGE_VERSION=\"([^\"]+)\"$" "\\1" ZACCEL_DRIVER_VERSION
       "${ZACCEL_DRIVER_VERSION}")
set(ZACCEL_DKMS_DIR src/zaccel-${ZACCEL_DRIVER_VERSION})
file(GLOB ZACCEL_DRIVER_FILES driver/*.c driver/*.h)
install(FILES ${ZACCEL_DRIVER_FILES} driver/Kbuild driver/Makefile driver/dkms.conf
  DESTINATION ${ZACCEL_DKMS_DIR})
install(FILES uapi/zaccel_drm.h DESTINATION ${ZACCEL_DKMS_DIR}/uapi)
