#!/usr/bin/env bash
# Runs every test (GoogleTest binaries and Python parity checks) through ctest.
# Run scripts/setup.sh first (the README's test command does both).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmake --build "$root/build" -j"$(nproc)"
ctest --test-dir "$root/build" --output-on-failure -j"$(nproc)" "$@"
# The library again, built with clang as firmware is (no CLI, no PortAudio), and its quick
# tests (skip: EARSHOT_SKIP_CLANG=1).
if [ "${EARSHOT_SKIP_CLANG:-0}" != 1 ]; then
  "$root/scripts/build-clang.sh"
fi
# The kernels again, cross-built for aarch64 and run under qemu-aarch64 (skip: EARSHOT_SKIP_AARCH64=1).
if [ "${EARSHOT_SKIP_AARCH64:-0}" != 1 ]; then
  "$root/scripts/test-aarch64.sh" "$root/build-aarch64"
fi
