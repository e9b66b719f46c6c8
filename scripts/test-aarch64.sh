#!/usr/bin/env bash
# Cross-builds the runtime kernels and their tests for aarch64 (Debian's g++-aarch64-linux-gnu)
# and runs them with ctest under qemu-aarch64. GoogleTest is cross-built once from Debian's
# sources in /usr/src/googletest (package googletest / libgtest-dev).
#   scripts/test-aarch64.sh [build-dir]      (default: build-aarch64; JOBS=2)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-aarch64}
jobs=${JOBS:-2}
toolchain=$root/cmake/aarch64-linux-gnu.cmake

for tool in aarch64-linux-gnu-g++ qemu-aarch64; do
  if ! command -v "$tool" >/dev/null; then
    echo "test-aarch64.sh: $tool not found (apt-get install g++-aarch64-linux-gnu qemu-user)" >&2
    exit 1
  fi
done
if [ ! -f /usr/src/googletest/CMakeLists.txt ]; then
  echo "test-aarch64.sh: /usr/src/googletest missing (apt-get install googletest)" >&2
  exit 1
fi

gtest_prefix=$build/googletest-install
if [ ! -f "$gtest_prefix/lib/cmake/GTest/GTestConfig.cmake" ]; then
  cmake -S /usr/src/googletest -B "$build/googletest" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF -DCMAKE_INSTALL_PREFIX="$gtest_prefix"
  cmake --build "$build/googletest" -j"$jobs"
  cmake --install "$build/googletest"
fi

cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
  -DEARSHOT_KERNELS_ONLY=ON -DEARSHOT_BUILD_BENCH=OFF -DGTest_DIR="$gtest_prefix/lib/cmake/GTest"
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs"
