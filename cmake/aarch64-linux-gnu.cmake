# Cross-compiling for 64-bit Arm Linux with Debian's g++-aarch64-linux-gnu; the test binaries
# run under qemu-aarch64 (package qemu-user) with the cross sysroot's libraries.
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#         -DEARSHOT_KERNELS_ONLY=ON        (scripts/test-aarch64.sh does it all)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

set(EARSHOT_AARCH64_SYSROOT /usr/aarch64-linux-gnu CACHE PATH "Cross libraries (Debian multilib)")
set(CMAKE_FIND_ROOT_PATH ${EARSHOT_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Packages may come from the host too: Eigen is header-only and architecture independent.
# Compiled packages (GoogleTest) must be given explicitly, e.g. -DGTest_DIR=<aarch64 build>.
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

find_program(EARSHOT_QEMU_AARCH64 qemu-aarch64)
if(EARSHOT_QEMU_AARCH64)
  # Used by ctest and by gtest_discover_tests (which runs each test binary at build time).
  set(CMAKE_CROSSCOMPILING_EMULATOR ${EARSHOT_QEMU_AARCH64} -L ${EARSHOT_AARCH64_SYSROOT})
endif()
