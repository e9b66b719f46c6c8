#!/usr/bin/env bash
# Runs every test (GoogleTest binaries and Python parity checks) through ctest.
# Run scripts/setup.sh first (the README's test command does both).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmake --build "$root/build" -j"$(nproc)"
ctest --test-dir "$root/build" --output-on-failure -j"$(nproc)" "$@"
