#!/usr/bin/env bash
# Builds the library with clang/clang++ and -Werror into build-clang/, configured as firmware
# would be (no CLI, no PortAudio, no benchmarks; tests on), then runs a quick subset of the
# tests there: the kernels and ops, the shared layers, the VAD, and the pipeline with its C
# ABI. Exits non-zero on the first failure. Jobs: EARSHOT_JOBS (default nproc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build-clang"
jobs=${EARSHOT_JOBS:-$(nproc)}
cache=${EARSHOT_CACHE:-$HOME/.cache/earshot}
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DEARSHOT_BUILD_TESTS=ON -DEARSHOT_BUILD_BENCH=OFF -DEARSHOT_WERROR=ON \
  -DEARSHOT_BUILD_CLI=OFF -DEARSHOT_WITH_PORTAUDIO=OFF \
  -DEARSHOT_PYTHON="$cache/venv/bin/python" -DEARSHOT_CACHE_DIR="$cache" >/dev/null
cmake --build "$build" -j"$jobs"
kernels='Engine|EngineEnv|F32Gemm|I8F32Gemm|I8Gemm|Quant|kernels_env_forces_ref'
ops='Act|LayerNorm|Softmax|DwConv|DwConvStream|Conv|FullyConnected|Lstm|Attention|Linear'
vad='SpeechSegmenter|FixedPointVad|NeuralVad|SileroStft|Engines/EngineTest'
vad="$vad|SileroVadNoAlloc"  # (the Python parity check needs the CLI, not built here)
pipeline='StateMachine|PrerollBuffer|WakePhrase|EventJson|PipelineSpeech|PipelineConfig|PipelineCreate'
pipeline="$pipeline|PipelineMisuse|PipelineNoAlloc|CApi|CppApi"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --no-tests=error \
  -R "^($kernels|$ops|$vad|$pipeline)(\.|$)" "$@"
