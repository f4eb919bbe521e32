# 32-bit ARM userspace (armhf: the Zynq-7000's Cortex-A9, Debian's armhf baseline): Debian's
# cross compiler against the sysroot of Debian armhf packages that tools/install-deps.sh unpacks
# (tools/armhf-sysroot.sh). Test binaries run under qemu-arm (qemu-user), for gtest discovery
# and ctest alike. tests/armhf/armhf_check.sh configures a build with it:
#   cmake -S . -B build-armhf -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-armhf.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
# GCC notes that ARM's passing of some structs changed in GCC 7.1: nothing here mixes with code
# built by older compilers.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)

if(NOT ZACCEL_ARMHF_SYSROOT)
  set(ZACCEL_ARMHF_SYSROOT "$ENV{ZACCEL_ARMHF_SYSROOT}")
endif()
if(NOT ZACCEL_ARMHF_SYSROOT)
  set(ZACCEL_ARMHF_SYSROOT /opt/zaccel/armhf/root)
endif()
if(NOT EXISTS "${ZACCEL_ARMHF_SYSROOT}/.zaccel-packages")
  message(FATAL_ERROR "no armhf sysroot in ${ZACCEL_ARMHF_SYSROOT}: run tools/install-deps.sh")
endif()
# try_compile projects read this file again: pass the choice on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ZACCEL_ARMHF_SYSROOT)

set(CMAKE_SYSROOT "${ZACCEL_ARMHF_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${ZACCEL_ARMHF_SYSROOT}")
# Programs (protoc, dtc) are the host's; everything linked or included is the sysroot's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${ZACCEL_ARMHF_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${ZACCEL_ARMHF_SYSROOT}/usr/lib/arm-linux-gnueabihf/pkgconfig:${ZACCEL_ARMHF_SYSROOT}/usr/share/pkgconfig")

# qemu-arm finds the dynamic loader and the shared libraries in the sysroot (-L).
find_program(ZACCEL_QEMU_ARM qemu-arm)
if(ZACCEL_QEMU_ARM)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${ZACCEL_QEMU_ARM};-L;${ZACCEL_ARMHF_SYSROOT}")
endif()
