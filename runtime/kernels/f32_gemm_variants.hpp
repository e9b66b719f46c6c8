// Internal: the f32 GEMM variants (engine.cpp lists those compiled in and supported).
#pragma once

#include "runtime/kernels/f32_gemm.hpp"

namespace earshot::kernels {

void f32_gemm_ref(const F32GemmParams& p) noexcept;
#ifndef EARSHOT_FORCE_REF
void f32_gemm_eigen(const F32GemmParams& p) noexcept;  // f32_gemm_eigen.cpp
#endif
#if !defined(EARSHOT_FORCE_REF) && defined(__x86_64__)
void f32_gemm_avx2(const F32GemmParams& p) noexcept;  // f32_gemm_avx2.cpp (AVX2 + FMA)
#define EARSHOT_HAVE_X86_F32_KERNELS 1
#endif

}  // namespace earshot::kernels
