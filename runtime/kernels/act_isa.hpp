// Which instruction-set variants of the neural-network ops (act, norm, softmax, dwconv,
// attention) are compiled into this build and may run on this CPU. Every op family lists its
// variants `ref` first; tests run them all against `ref`, the ops use the last one.
#pragma once

#include <cstdlib>
#include <cstring>

#include "runtime/kernels/cpu_features.hpp"

#if !defined(EARSHOT_FORCE_REF) && (defined(__x86_64__) || defined(_M_X64))
#define EARSHOT_OPS_AVX2 1
#endif
#if !defined(EARSHOT_FORCE_REF) && defined(__aarch64__)
#define EARSHOT_OPS_NEON 1
#endif

namespace earshot::kernels {

// EARSHOT_KERNELS=ref forces the scalar reference (as for the matrix engines, engine.hpp).
inline bool ops_forced_ref() noexcept {
  static const bool forced = [] {
    const char* v = std::getenv("EARSHOT_KERNELS");
    return v != nullptr && std::strcmp(v, "ref") == 0;
  }();
  return forced;
}

// How many leading entries of a variant list {ref, simd} this CPU may run: 1 or 2.
inline size_t ops_runnable_count(size_t listed) noexcept {
#if defined(EARSHOT_OPS_AVX2)
  const CpuFeatures& f = cpu_features();
  if (!(f.avx2 && f.fma)) return 1;
#endif
  return listed;
}

}  // namespace earshot::kernels
