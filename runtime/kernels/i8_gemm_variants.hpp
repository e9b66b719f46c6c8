// Internal: the i8 GEMM variants each translation unit defines (engine.cpp lists those that
// are compiled in and that the CPU supports).
#pragma once

#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

void i8_gemm_ref(const I8GemmParams& p) noexcept;
#if !defined(EARSHOT_FORCE_REF) && defined(__x86_64__)
void i8_gemm_avx2(const I8GemmParams& p) noexcept;        // i8_gemm_avx2.cpp
void i8_gemm_avxvnni(const I8GemmParams& p) noexcept;     // i8_gemm_avxvnni.cpp
void i8_gemm_avx512vnni(const I8GemmParams& p) noexcept;  // i8_gemm_avx512.cpp
#define EARSHOT_HAVE_X86_KERNELS 1
#endif
#if !defined(EARSHOT_FORCE_REF) && defined(__aarch64__)
void i8_gemm_neon(const I8GemmParams& p) noexcept;     // i8_gemm_neon.cpp
void i8_gemm_neondot(const I8GemmParams& p) noexcept;  // i8_gemm_neondot.cpp
#define EARSHOT_HAVE_ARM64_KERNELS 1
#endif

}  // namespace earshot::kernels
