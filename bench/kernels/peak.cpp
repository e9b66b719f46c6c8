// Peak measurements (see peak.hpp). The ISA loops use GCC target attributes so this file needs
// no special flags; each is called only when the CPU reports the feature.
#include "peak.hpp"

#include <time.h>

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "runtime/kernels/cpu_features.hpp"

namespace earshot::bench {
namespace {

// Thread CPU time: immune to the core being lent to other processes during the loop.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

#if defined(__x86_64__)
// Written in assembly so the compiler can neither hoist nor spill anything.
// 12 independent vpdpbusd zmm accumulators (64 MACs each) per iteration.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void vnni512_loop(int64_t iters) {
  __asm__ volatile(
      "vpxord %%zmm12, %%zmm12, %%zmm12\n\t"
      "vpternlogd $0xff, %%zmm13, %%zmm13, %%zmm13\n\t"
      "1:\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm0\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm1\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm2\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm3\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm4\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm5\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm6\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm7\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm8\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm9\n\t"
      "vpdpbusd %%zmm13, %%zmm12, %%zmm10\n\tvpdpbusd %%zmm13, %%zmm12, %%zmm11\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      :
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
        "xmm11", "xmm12", "xmm13", "cc");
}

// The AVX2 kernel's step (vpsignb, vpmaddubsw, vpmaddwd with ones, vpaddd; 32 MACs) on 3
// independent chains per iteration, 4 iterations unrolled.
__attribute__((target("avx2"))) void avx2_loop(int64_t iters) {
#define EARSHOT_STEP(w, t, acc)                    \
  "vpsignb %%ymm13, %%" w ", %%" t "\n\t"          \
  "vpmaddubsw %%" t ", %%ymm14, %%" t "\n\t"       \
  "vpmaddwd %%ymm15, %%" t ", %%" t "\n\t"         \
  "vpaddd %%" t ", %%" acc ", %%" acc "\n\t"
#define EARSHOT_ROUND                         \
  EARSHOT_STEP("ymm0", "ymm3", "ymm6")        \
  EARSHOT_STEP("ymm1", "ymm4", "ymm7")        \
  EARSHOT_STEP("ymm2", "ymm5", "ymm8")
  __asm__ volatile(
      "vpcmpeqd %%ymm13, %%ymm13, %%ymm13\n\t"
      "vpabsb %%ymm13, %%ymm14\n\t"
      "vpabsw %%ymm13, %%ymm15\n\t"
      "1:\n\t" EARSHOT_ROUND EARSHOT_ROUND EARSHOT_ROUND EARSHOT_ROUND
      "dec %0\n\t"
      "jnz 1b\n\t"
      : "+r"(iters)
      :
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm13", "xmm14",
        "xmm15", "cc");
#undef EARSHOT_ROUND
#undef EARSHOT_STEP
}
#endif

}  // namespace

double measure_frequency_hz() {
  constexpr int64_t kIters = 2'000'000;  // x 100 dependent adds
  uint64_t v = 0;
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = cpu_seconds();
    for (int64_t i = 0; i < kIters; ++i) {
#if defined(__x86_64__)
#define EARSHOT_ADD10                                                                            \
  "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, " \
  "%0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
#elif defined(__aarch64__)
#define EARSHOT_ADD10                                                                              \
  "add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd " \
  "%0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t"
#endif
      __asm__ volatile(EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10
                           EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10 EARSHOT_ADD10
                       : "+r"(v));
#undef EARSHOT_ADD10
    }
    const double t = cpu_seconds() - t0;
    if (t < best) best = t;
  }
  return static_cast<double>(kIters) * 100.0 / best;
}

double measure_i8_macs_per_cycle(const char* variant, double hz) {
  [[maybe_unused]] const auto& f = kernels::cpu_features();
  [[maybe_unused]] constexpr int64_t kIters = 2'000'000;
#if defined(__x86_64__)
  if (std::strcmp(variant, "avx512-vnni") == 0 && f.avx512vnni) {
    double best = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
      const double t0 = cpu_seconds();
      vnni512_loop(kIters);
      const double t = cpu_seconds() - t0;
      if (t < best) best = t;
    }
    return static_cast<double>(kIters) * 12 * 64 / (best * hz);
  }
  if (std::strcmp(variant, "avx2") == 0 && f.avx2) {
    double best = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
      const double t0 = cpu_seconds();
      avx2_loop(kIters);
      const double t = cpu_seconds() - t0;
      if (t < best) best = t;
    }
    return static_cast<double>(kIters) * 12 * 32 / (best * hz);
  }
#endif
  return 0.0;
}

}  // namespace earshot::bench
